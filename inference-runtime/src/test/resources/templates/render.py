# Renders a chat template the way Hugging Face transformers does (jinja2, sandboxed, trim_blocks and
# lstrip_blocks, loop controls, tojson): the reference every model's published template is written
# for. Reads {"template", "messages", "add_generation_prompt", "tools"?} as JSON on stdin, prints the prompt.
import json
import sys

from jinja2.ext import loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment


def raise_exception(message):
    raise ValueError(message)


request = json.load(sys.stdin)
env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
env.filters["tojson"] = lambda value, indent=None, ensure_ascii=False: json.dumps(value, indent=indent,
                                                                                  ensure_ascii=ensure_ascii)
env.globals["raise_exception"] = raise_exception
template = env.from_string(request["template"])
sys.stdout.write(template.render(messages=request["messages"], add_generation_prompt=request["add_generation_prompt"],
                                 tools=request.get("tools"), bos_token="", eos_token=""))
