#!/usr/bin/env bash
# Makes the spec's TLS test certificates with the openssl command: a test CA,
# a server certificate it signs for 127.0.0.1, ::1 and localhost, and an
# unrelated "stranger" CA (for a client that must not trust the server).
# Valid from 2020 to 2120, so that no run ever meets an expired (or not yet
# valid) certificate.  Run it from this folder; the keys are test-only.
set -euo pipefail
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cat > "$work/openssl.cnf" <<'CNF'
[ca]
default_ca = test_ca
[test_ca]
database = $ENV::WORK/index.txt
new_certs_dir = $ENV::WORK
serial = $ENV::WORK/serial
default_md = sha256
policy = anything
copy_extensions = none
[anything]
organizationName = optional
commonName = supplied
[req]
distinguished_name = dn
[dn]
[authority]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, IP:::1, DNS:localhost
authorityKeyIdentifier = keyid
CNF
export WORK=$work
sign() {  # sign CSR KEY-OF-ISSUER CERT-OF-ISSUER EXTENSIONS OUT [selfsign]
  : > "$work/index.txt"; echo 1000 > "$work/serial"
  openssl ca -batch -config "$work/openssl.cnf" -in "$1" -keyfile "$2" ${3:+-cert "$3"} \
    -extensions "$4" -startdate 20200101000000Z -enddate 21200101000000Z -notext -out "$5" ${6:-} 2>/dev/null
}
for name in ca stranger-ca; do
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/$name.key" \
    -out "$work/$name.csr" -subj "/O=asyncio-server-spec/CN=asyncio-server-spec $name" -config "$work/openssl.cnf"
  sign "$work/$name.csr" "$work/$name.key" "" authority "$name.pem" -selfsign
done
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/server.key" \
  -out "$work/server.csr" -subj "/O=asyncio-server-spec/CN=localhost" -config "$work/openssl.cnf"
sign "$work/server.csr" "$work/ca.key" ca.pem server "$work/server.crt"
cat "$work/server.crt" "$work/server.key" > server.pem
