"""Prints, for each tokenizer and each document, a digest of Hugging Face tokenizers' ids.

usage: hf_ids.py CORPUS.json NAME=TOKENIZER.json ...
Output lines: NAME DOC_INDEX SHA256(ids without special tokens) SHA256(ids with them), where a
digest covers the ids written in decimal, comma-separated (PythonTokenizersParityTest computes the same).
"""
import hashlib
import json
import os
import sys

os.environ["RAYON_NUM_THREADS"] = "1"
from tokenizers import Tokenizer  # noqa: E402  (after the environment is set)


def digest(ids):
    return hashlib.sha256(",".join(map(str, ids)).encode("ascii")).hexdigest()


def main(argv):
    with open(argv[0], encoding="utf-8") as f:
        docs = json.load(f)
    for spec in argv[1:]:
        name, path = spec.split("=", 1)
        tok = Tokenizer.from_file(path)
        for i, doc in enumerate(docs):
            plain = tok.encode(doc, add_special_tokens=False).ids
            special = tok.encode(doc, add_special_tokens=True).ids
            print(name, i, digest(plain), digest(special))


if __name__ == "__main__":
    main(sys.argv[1:])
