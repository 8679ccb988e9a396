// The openai npm package's client against grandpa's OpenAI-compatible door: lists the models, then
// streams one chat completion, noting when each piece came. Prints one JSON object for the test to read.
import OpenAI from 'openai';

const [baseURL, apiKey, goal] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, timeout: 120_000, maxRetries: 0 });
const models = (await client.models.list()).data.map(m => m.id);
const start = Date.now();
const stream = await client.chat.completions.create({
  model: 'grandpa',
  messages: [{ role: 'system', content: 'You are talking to grandpa.' }, { role: 'user', content: goal }],
  stream: true,
});
const pieces = [];
for await (const chunk of stream) {
  const delta = chunk.choices[0]?.delta ?? {};
  pieces.push({
    ms: Date.now() - start,
    reasoning: delta.reasoning_content ?? null,
    content: delta.content ?? null,
    finish: chunk.choices[0]?.finish_reason ?? null,
  });
}
console.log(JSON.stringify({ models, pieces }));
