#!/usr/bin/env python3
"""An independent check of CloudTrail digests on disk, written from the AWS CLI's validate-logs
(awscli/customizations/cloudtrail/validation.py) and not from trailhound's code: the tests use it
to show that the digest generator (scripts/digests/writeDigests.ts) writes what CloudTrail writes,
and that trailhound's verdict on each tampered case is the one this check reaches.

usage: verify_digests.py LOGS_DIR PUBLIC_KEYS_JSON [BUCKET]
prints JSON: {"digests": {key: status}, "logs": {key: status}, "missingDigests": [key]}
digest status: valid | invalid-signature | moved | unsigned | unknown-key | malformed
log status: valid | modified | missing
"""
import base64
import gzip
import hashlib
import json
import os
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.serialization import load_der_public_key


def keys_of(logs_dir):
    for root, _dirs, files in os.walk(logs_dir):
        for name in files:
            full = os.path.join(root, name)
            yield os.path.relpath(full, logs_dir).replace(os.sep, "/"), full


def main(logs_dir, public_keys_path, bucket=None):
    with open(public_keys_path) as f:
        public_keys = {k["Fingerprint"]: k["Value"] for k in json.load(f)["PublicKeyList"]}
    digests = {}
    for key, full in keys_of(logs_dir):
        if "/CloudTrail-Digest/" in key and key.endswith(".json.gz"):
            with open(full, "rb") as f:
                raw = f.read()
            try:
                inflated = gzip.decompress(raw)
                digests[key] = (json.loads(inflated.decode()), inflated)
            except (OSError, ValueError):
                digests[key] = (None, None)
    # A digest's signature: S3 metadata saved beside it, or its successor's previousDigestSignature.
    signed_by_successor = {}
    for key, (data, _) in digests.items():
        if data and data.get("previousDigestS3Object"):
            signed_by_successor[data["previousDigestS3Object"]] = data.get("previousDigestSignature")
    result = {"digests": {}, "logs": {}, "missingDigests": []}
    for key, (data, inflated) in sorted(digests.items()):
        if data is None:
            result["digests"][key] = "malformed"
            continue
        if data.get("previousDigestS3Object") and data["previousDigestS3Object"] not in digests:
            result["missingDigests"].append(data["previousDigestS3Object"])
        if data["digestS3Object"] != key or (bucket and data["digestS3Bucket"] != bucket):
            result["digests"][key] = "moved"
            continue
        signature = None
        metadata_path = os.path.join(logs_dir, *key.split("/")) + ".metadata.json"
        if os.path.exists(metadata_path):
            with open(metadata_path) as f:
                signature = json.load(f).get("signature")
        if key in signed_by_successor:
            signature = signed_by_successor[key]
        if not signature:
            result["digests"][key] = "unsigned"
            continue
        fingerprint = data["digestPublicKeyFingerprint"]
        if fingerprint not in public_keys:
            result["digests"][key] = "unknown-key"
            continue
        previous = data["previousDigestSignature"] if data["previousDigestSignature"] is not None else "null"
        to_sign = "%s\n%s/%s\n%s\n%s" % (
            data["digestEndTime"],
            data["digestS3Bucket"],
            data["digestS3Object"],
            hashlib.sha256(inflated).hexdigest(),
            previous,
        )
        public_key = load_der_public_key(base64.b64decode(public_keys[fingerprint]))
        try:
            public_key.verify(bytes.fromhex(signature), to_sign.encode(), PKCS1v15(), hashes.SHA256())
            result["digests"][key] = "valid"
        except (InvalidSignature, ValueError):
            result["digests"][key] = "invalid-signature"
        for log in data.get("logFiles", []):
            path = os.path.join(logs_dir, *log["s3Object"].split("/"))
            if not os.path.exists(path):
                result["logs"][log["s3Object"]] = "missing"
                continue
            with open(path, "rb") as f:
                actual = hashlib.sha256(gzip.decompress(f.read())).hexdigest()
            result["logs"][log["s3Object"]] = "valid" if actual == log["hashValue"] else "modified"
    print(json.dumps(result, indent=2, sort_keys=True))


if __name__ == "__main__":
    main(*sys.argv[1:])
