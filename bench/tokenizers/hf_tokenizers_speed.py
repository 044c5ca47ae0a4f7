"""Encoding speed of Hugging Face's tokenizers (Python binding, Rust without JNI) on the parity corpus.

One thread, add_special_tokens=False, one encode call per document, as TokenizerSpeed times Euclid
and DJL; the median of the rounds is printed. The corpus comes from
`TokenizerSpeed --write-corpus FILE` (see bench/results/2026-12-06-tokenizer-parity.md).

usage: python hf_tokenizers_speed.py CORPUS.json NAME=TOKENIZER.json [NAME=TOKENIZER.json ...] [--rounds N]
"""
import json
import os
import statistics
import sys
import time

os.environ["RAYON_NUM_THREADS"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"
from tokenizers import Tokenizer, __version__  # noqa: E402  (the environment must be set first)


def main(argv):
    rounds = 5
    if "--rounds" in argv:
        i = argv.index("--rounds")
        rounds = int(argv[i + 1])
        del argv[i:i + 2]
    with open(argv[0], encoding="utf-8") as f:
        docs = json.load(f)
    megabytes = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    print(f"tokenizers {__version__}; corpus {len(docs)} documents, {megabytes:.2f} MB; {rounds} rounds, 1 thread")
    print("| tokenizer | HF tokenizers (Python) MB/s | ids |")
    print("|---|---|---|")
    for spec in argv[1:]:
        name, path = spec.split("=", 1)
        tok = Tokenizer.from_file(path)
        ids = sum(len(tok.encode(d, add_special_tokens=False).ids) for d in docs)  # warm-up
        rates = []
        for _ in range(rounds):
            start = time.perf_counter()
            for d in docs:
                tok.encode(d, add_special_tokens=False)
            rates.append(megabytes / (time.perf_counter() - start))
        print(f"| {name} | {statistics.median(rates):.2f} | {ids} |", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
