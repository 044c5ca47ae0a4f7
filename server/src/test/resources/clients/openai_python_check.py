"""Drives a running `euclid serve` with the official `openai` Python client and prints what it got.

Usage: python openai_python_check.py BASE_URL API_KEY MODEL
Prints one JSON object; the Java test compares it with the in-process API's greedy tokens.
"""
import json
import sys

from openai import OpenAI

base_url, api_key, model = sys.argv[1], sys.argv[2], sys.argv[3]
client = OpenAI(base_url=base_url, api_key=api_key, max_retries=0, timeout=60)
out = {}

c = client.completions.create(model=model, prompt="Once upon a time", max_tokens=40, temperature=0)
out["completion"] = {"text": c.choices[0].text, "finish_reason": c.choices[0].finish_reason,
                     "prompt_tokens": c.usage.prompt_tokens, "completion_tokens": c.usage.completion_tokens}

n4 = client.completions.create(model=model, prompt="Once upon a time", max_tokens=30, temperature=0.8, seed=7, n=4)
out["n4"] = [ch.text for ch in sorted(n4.choices, key=lambda ch: ch.index)]

stop = client.completions.create(model=model, prompt="Once upon a time", max_tokens=60, temperature=0, stop=["Lily"])
out["stop"] = {"text": stop.choices[0].text, "finish_reason": stop.choices[0].finish_reason}

lp = client.completions.create(model=model, prompt="Once upon a time", max_tokens=10, temperature=0, logprobs=2)
out["logprobs"] = {"tokens": lp.choices[0].logprobs.tokens, "token_logprobs": lp.choices[0].logprobs.token_logprobs,
                   "top_logprobs": lp.choices[0].logprobs.top_logprobs}

echo = client.completions.create(model=model, prompt="Once upon a time", max_tokens=5, temperature=0, logprobs=1,
                                 echo=True)
out["echo_logprobs"] = {"text": echo.choices[0].text, "tokens": echo.choices[0].logprobs.tokens,
                        "token_logprobs": echo.choices[0].logprobs.token_logprobs,
                        "top_logprobs": echo.choices[0].logprobs.top_logprobs}

chat = client.chat.completions.create(model=model, messages=[{"role": "user", "content": "Once upon a time"}],
                                      max_tokens=40, temperature=0, logprobs=True, top_logprobs=1)
out["chat"] = {"content": chat.choices[0].message.content, "role": chat.choices[0].message.role,
               "finish_reason": chat.choices[0].finish_reason,
               "logprobs": [t.logprob for t in chat.choices[0].logprobs.content]}

pieces, usage = [], None
for chunk in client.chat.completions.create(model=model, messages=[{"role": "user", "content": "Once upon a time"}],
                                            max_tokens=40, temperature=0, stream=True,
                                            stream_options={"include_usage": True}):
    if chunk.usage is not None:
        usage = chunk.usage.completion_tokens
    for ch in chunk.choices:
        if ch.delta.content:
            pieces.append(ch.delta.content)
out["chat_stream"] = {"content": "".join(pieces), "chunks": len(pieces), "completion_tokens": usage}

streamed_logprobs = []
for chunk in client.chat.completions.create(model=model, messages=[{"role": "user", "content": "Once upon a time"}],
                                            max_tokens=12, temperature=0, stream=True, logprobs=True, top_logprobs=3):
    for ch in chunk.choices:
        if ch.logprobs is not None and ch.logprobs.content:
            for t in ch.logprobs.content:
                streamed_logprobs.append({"token": t.token, "logprob": t.logprob,
                                          "top": [[a.token, a.logprob] for a in t.top_logprobs]})
out["chat_stream_logprobs"] = streamed_logprobs

streamed = [""] * 3
for chunk in client.completions.create(model=model, prompt="Once upon a time", max_tokens=25, temperature=0.8, seed=7,
                                       n=3, stream=True):
    for ch in chunk.choices:
        streamed[ch.index] += ch.text
out["completion_stream_n3"] = streamed

out["models"] = [m.id for m in client.models.list()]

try:
    client.completions.create(model="no-such-model", prompt="x", max_tokens=1)
    out["unknown_model"] = "no error"
except Exception as e:  # the client maps the 404 to its own exception class
    out["unknown_model"] = type(e).__name__

print(json.dumps(out))
