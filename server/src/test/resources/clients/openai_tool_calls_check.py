"""Reads a streamed answer with tool calls through the official `openai` Python client and prints what it got.

Usage: python openai_tool_calls_check.py BASE_URL
Prints one JSON object: the answer as the client's stream helper puts it together (each call's
arguments parsed, which it does for strict tools), and as a plain stream=True loop assembles it
from the typed chunks, the way OpenAI's guide does.
"""
import json
import sys

from openai import OpenAI

client = OpenAI(base_url=sys.argv[1], api_key="none", max_retries=0, timeout=60)
messages = [{"role": "user", "content": "The weather in Zurich, and the time?"}]
tools = [{"type": "function", "function": {"name": name, "strict": True, "parameters": {
    "type": "object", "properties": {"city": {"type": "string"}}, "required": [], "additionalProperties": False}}}
    for name in ("get_weather", "get_time")]
out = {}

with client.chat.completions.stream(model="m", messages=messages, tools=tools) as stream:
    for _ in stream:
        pass
    final = stream.get_final_completion().choices[0]
out["helper"] = {"content": final.message.content, "finish_reason": final.finish_reason,
                 "calls": [{"id": t.id, "name": t.function.name, "arguments": t.function.arguments,
                            "parsed": t.function.parsed_arguments} for t in final.message.tool_calls]}

content, calls, finish = None, [], None
for chunk in client.chat.completions.create(model="m", messages=messages, tools=tools, stream=True):
    choice = chunk.choices[0]
    if choice.delta.content:
        content = (content or "") + choice.delta.content
    for t in choice.delta.tool_calls or []:
        if t.index == len(calls):
            calls.append({"id": t.id, "name": t.function.name, "arguments": ""})
        calls[t.index]["arguments"] += t.function.arguments or ""
    finish = choice.finish_reason or finish
out["loop"] = {"content": content, "finish_reason": finish, "calls": calls}

print(json.dumps(out))
