// The MCP TypeScript SDK's client against grandpa's MCP server, over streamable HTTP or stdio: lists the
// tools, submits a task, waits for it with progress notifications, reads its plan as a resource. Prints
// one JSON object for the test to read.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const [how, url, token, goal, java, jar] = process.argv.slice(2);
const transport = how === 'http'
  ? new StreamableHTTPClientTransport(new URL(url + '/mcp'), { requestInit: { headers: { Authorization: `Bearer ${token}` } } })
  : new StdioClientTransport({ command: java, args: ['-jar', jar, 'mcp', '--url', url],
      env: { ...process.env, GRANDPA_TOKEN: token }, stderr: 'inherit' });
const client = new Client({ name: 'grandpa-test-client', version: '1.0.0' });
await client.connect(transport);
const tools = (await client.listTools()).tools.map(t => t.name);
const submitted = await client.callTool({ name: 'submit_task', arguments: { goal } });
const id = JSON.parse(submitted.content[0].text).id;
const progress = [];
const waited = await client.callTool({ name: 'wait_for_task', arguments: { task_id: id, timeout_seconds: 120 } }, undefined,
  { onprogress: p => progress.push(p.message), timeout: 180_000, resetTimeoutOnProgress: true });
const final = JSON.parse(waited.content[0].text);
const plan = JSON.parse((await client.readResource({ uri: `grandpa://tasks/${id}/plan` })).contents[0].text);
const missing = await client.callTool({ name: 'get_task', arguments: { task_id: 'not-a-task' } });
await client.close();
console.log(JSON.stringify({ tools, id, progress, status: final.status, plan, missing }));
