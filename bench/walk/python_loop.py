"""The walk benchmark's Python peer: a requests.Session paging loop that reads every field of every job.

With a fourth argument "floor" it sends only the first request and keeps nothing: the interpreter's floor."""
import os
import sys

import requests


def main():
    endpoint, project, per_page = sys.argv[1], sys.argv[2], int(sys.argv[3])
    floor_only = len(sys.argv) > 4 and sys.argv[4] == "floor"
    session = requests.Session()
    session.headers["X-Auth-Token"] = os.environ.get("MODELARTS_TOKEN", "")
    kept, checksum, page = [], 0, 1
    while True:
        r = session.get(f"{endpoint}/v1/{project}/training-jobs", params={"per_page": per_page, "page": page})
        r.raise_for_status()
        doc = r.json()
        batch = doc["jobs"]
        for j in batch:
            checksum ^= hash((j["job_id"], j["version_id"], j["status"], j["create_time"], j.get("duration", 0),
                              j.get("version_count", 0), len(j["job_name"]), len(j.get("job_desc", ""))))
        if floor_only:
            break
        kept.extend(batch)  # holds every job, as a caller that wants them all does
        if not batch or page * per_page >= doc["job_total_count"]:
            break
        page += 1
    print(f"jobs={len(kept) if not floor_only else len(batch)} checksum={checksum & 0xffffffffffffffff:016x} held_bytes=0")


if __name__ == "__main__":
    main()
