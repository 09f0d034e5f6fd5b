#!/usr/bin/env bash
# Makes the spec's TLS test certificates with the openssl command: a test CA,
# a server certificate it signs for 127.0.0.1, ::1 and localhost, an
# unrelated "stranger" CA (for a client that must not trust the server), and
# a client CA with a client certificate it signs (for servers that require
# client certificates).  No CA key is kept, so a certificate added later
# comes with a CA of its own.
# Valid from 2020 to 2120, so that no run ever meets an expired (or not yet
# valid) certificate.  Run it from this folder; the keys are test-only.
#   ./make-certs.sh          every certificate, anew
#   ./make-certs.sh client   only the client CA and the client certificate
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
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
CNF
export WORK=$work
sign() {  # sign CSR KEY-OF-ISSUER CERT-OF-ISSUER EXTENSIONS OUT [selfsign]
  : > "$work/index.txt"; echo 1000 > "$work/serial"
  openssl ca -batch -config "$work/openssl.cnf" -in "$1" -keyfile "$2" ${3:+-cert "$3"} \
    -extensions "$4" -startdate 20200101000000Z -enddate 21200101000000Z -notext -out "$5" ${6:-} 2>/dev/null
}
authority() {  # authority NAME: a self-signed CA certificate, NAME.pem (its key stays in $work)
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/$1.key" \
    -out "$work/$1.csr" -subj "/O=asyncio-server-spec/CN=asyncio-server-spec $1" -config "$work/openssl.cnf"
  sign "$work/$1.csr" "$work/$1.key" "" authority "$1.pem" -selfsign
}
issued() {  # issued NAME SUBJECT-CN ISSUER EXTENSIONS: NAME.pem, the certificate and its key
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/$1.key" \
    -out "$work/$1.csr" -subj "/O=asyncio-server-spec/CN=$2" -config "$work/openssl.cnf"
  sign "$work/$1.csr" "$work/$3.key" "$3.pem" "$4" "$work/$1.crt"
  cat "$work/$1.crt" "$work/$1.key" > "$1.pem"
}
case "${1:-all}" in
  all)
    authority ca
    authority stranger-ca
    issued server localhost ca server
    ;;
  client) ;;
  *) echo "usage: $0 [all|client]" >&2; exit 2 ;;
esac
authority client-ca
issued client "asyncio-server-spec client" client-ca client
