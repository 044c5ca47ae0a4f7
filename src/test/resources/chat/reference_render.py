"""Reference renderings for Euclid's chat template tests.

Reads a JSON request {"cases": [...]} and writes one result per case, {"text": ...} or
{"error": ..., "type": ...}. A case is either
  {"kind": "model", "folder": DIR, "messages": [...], "tools": [...]|null,
   "add_generation_prompt": bool, "extra": {...}}
rendered by transformers' own tokenizer.apply_chat_template(..., tokenize=False) for the model
folder (its tokenizer_config.json, chat_template.jinja, ...), or
  {"kind": "raw", "template": SOURCE, "context": {...}}
rendered by the Jinja2 environment transformers builds for chat templates.

Without transformers (no local wheel store) the same environment is rebuilt from Jinja2 alone;
the first line of output names which reference was used.
"""
import json
import os
import shutil
import sys
import tempfile

try:
    import transformers  # noqa: F401
    from transformers import AutoTokenizer, PreTrainedTokenizerFast
    from transformers.utils.chat_template_utils import _compile_jinja_template
    from tokenizers import Tokenizer, models

    REFERENCE = "transformers " + transformers.__version__
except ImportError:
    transformers = None
    REFERENCE = None

import jinja2

if REFERENCE is None:
    from datetime import datetime

    import jinja2.ext
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    REFERENCE = "jinja2 " + jinja2.__version__ + " (transformers' settings rebuilt)"

    class _Generation(jinja2.ext.Extension):
        tags = {"generation"}

        def parse(self, parser):
            lineno = next(parser.stream).lineno
            body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
            return jinja2.nodes.Scope(body).set_lineno(lineno)

    def _raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def _tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def _compile_jinja_template(source):
        env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                            extensions=[_Generation, jinja2.ext.loopcontrols])
        env.filters["tojson"] = _tojson
        env.globals["raise_exception"] = _raise_exception
        env.globals["strftime_now"] = lambda f: datetime.now().strftime(f)
        return env.from_string(source)


_tokenizers = {}


def _tokenizer(folder):
    """transformers' tokenizer for a folder; one without tokenizer.json gets a one-token stand-in vocabulary
    (the template only sees the special tokens' text, which comes from tokenizer_config.json)."""
    if folder in _tokenizers:
        return _tokenizers[folder]
    if os.path.exists(os.path.join(folder, "tokenizer.json")):
        tok = AutoTokenizer.from_pretrained(folder)
    else:
        tmp = tempfile.mkdtemp(prefix="chat-reference-")
        for name in os.listdir(folder):
            src = os.path.join(folder, name)
            (shutil.copytree if os.path.isdir(src) else shutil.copy)(src, os.path.join(tmp, name))
        Tokenizer(models.WordLevel({"<unk>": 0}, unk_token="<unk>")).save(os.path.join(tmp, "tokenizer.json"))
        tok = PreTrainedTokenizerFast.from_pretrained(tmp)
    _tokenizers[folder] = tok
    return tok


def _fallback_model_render(case):
    folder = case["folder"]
    config = {}
    path = os.path.join(folder, "tokenizer_config.json")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            config = json.load(f)
    template = config.get("chat_template")
    jinja_path = os.path.join(folder, "chat_template.jinja")
    if os.path.exists(jinja_path):
        with open(jinja_path, encoding="utf-8") as f:
            template = f.read()
    if isinstance(template, list):
        named = {t["name"]: t["template"] for t in template}
        template = named["tool_use"] if case.get("tools") is not None and "tool_use" in named else named["default"]
    if template is None:
        raise ValueError("no chat template")
    context = {}
    for key, value in config.items():
        if isinstance(value, dict) and value.get("__type") == "AddedToken":
            value = value["content"]
        if key.endswith("_token") and isinstance(value, str):
            context[key] = value
    context.update(case.get("extra") or {})
    return _compile_jinja_template(template).render(
        messages=case["messages"], tools=case.get("tools"), documents=None,
        add_generation_prompt=case["add_generation_prompt"], **context)


def render(case):
    if case["kind"] == "raw":
        return _compile_jinja_template(case["template"]).render(**case.get("context", {}))
    if transformers is None:
        return _fallback_model_render(case)
    return _tokenizer(case["folder"]).apply_chat_template(
        case["messages"], tools=case.get("tools"), tokenize=False,
        add_generation_prompt=case["add_generation_prompt"], **(case.get("extra") or {}))


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        request = json.load(f)
    results = []
    for case in request["cases"]:
        try:
            results.append({"text": render(case)})
        except Exception as e:  # every failure is a result the Java side must match
            results.append({"error": str(e), "type": type(e).__name__})
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump({"reference": REFERENCE, "results": results}, f)


if __name__ == "__main__":
    main()
