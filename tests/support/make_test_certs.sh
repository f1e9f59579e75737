#!/usr/bin/env bash
# Makes throw-away TLS material for the HTTPS tests in DIR (nothing is committed):
#   ca.pem         a test CA (2 days)
#   good.pem/.key  signed by it for localhost and 127.0.0.1 (2 days)
#   wrong.pem/.key signed by it for wrong-host.test only (host name mismatch)
#   expired.pem/.key signed by it for localhost and 127.0.0.1, valid only on 2020-01-01
# Needs the openssl command-line tool (Debian package openssl).
set -euo pipefail
DIR=$1
mkdir -p "$DIR/db"
cd "$DIR"
: >db/index
echo 01 >db/serial
cat >ca.cnf <<'CNF'
[ ca ]
default_ca = test
[ test ]
database = db/index
new_certs_dir = db
serial = db/serial
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[ any ]
commonName = supplied
CNF
EC=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
openssl req -x509 "${EC[@]}" -days 2 -subj /CN=modelarts-c-test-ca -keyout ca.key -out ca.pem 2>/dev/null
leaf() { # name san startdate enddate
    openssl req "${EC[@]}" -subj "/CN=$1" -addext "subjectAltName=$2" -keyout "$1.key" -out "$1.csr" 2>/dev/null
    openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -startdate "$3" -enddate "$4" \
        -in "$1.csr" -out "$1.pem" >/dev/null 2>&1
}
now=$(date -u +%Y%m%d%H%M%SZ -d '-1 hour')
later=$(date -u +%Y%m%d%H%M%SZ -d '+2 days')
leaf good "DNS:localhost,IP:127.0.0.1" "$now" "$later"
leaf wrong "DNS:wrong-host.test" "$now" "$later"
leaf expired "DNS:localhost,IP:127.0.0.1" 20200101000000Z 20200102000000Z
