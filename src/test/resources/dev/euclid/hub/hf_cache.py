# huggingface_hub's side of the cache-sharing test: download (or, offline, look up) the files
# named on the command line and print where they are, as JSON.
import json
import sys

from huggingface_hub import hf_hub_download, snapshot_download

mode, repo, files = sys.argv[1], sys.argv[2], sys.argv[3:]
if mode == "download":
    print(json.dumps({"path": snapshot_download(repo, allow_patterns=files)}))
elif mode == "offline":
    found = {f: hf_hub_download(repo, f, local_files_only=True) for f in files}
    print(json.dumps({"path": snapshot_download(repo, local_files_only=True), "files": found}))
else:
    sys.exit("mode must be download or offline, got " + mode)
