#!/bin/sh
# Generates throw-away TLS material for the TLS integration tests into DIR:
#   ca.pem/ca.key                 the test CA
#   server.pem/server.key         broker certificate for localhost / 127.0.0.1, signed by ca
#   client.pem/client.key         client certificate (CN cam2mqtt), signed by ca
#   rogue-ca.pem, rogue-server.pem/rogue-server.key   the same server names, another CA
# Usage: make-test-certs.sh DIR   (openssl CLI; EC P-256 keys, 1 day validity)
set -eu
dir=$1
mkdir -p "$dir"
cd "$dir"
exts="subjectAltName=DNS:localhost,IP:127.0.0.1"
key() { openssl ecparam -name prime256v1 -genkey -noout -out "$1" 2>/dev/null; }
ca() { # name cn
  key "$1.key"
  openssl req -x509 -new -key "$1.key" -sha256 -days 1 -subj "/CN=$2" -out "$1.pem"
}
leaf() { # name cn ca extfile-line
  key "$1.key"
  openssl req -new -key "$1.key" -subj "/CN=$2" -out "$1.csr"
  printf '%s\n' "$4" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" -CAcreateserial -days 1 -sha256 \
    -extfile "$1.ext" -out "$1.pem" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}
ca ca "cam2mqtt test CA"
ca rogue-ca "rogue test CA"
leaf server localhost ca "$exts"
leaf client cam2mqtt ca "extendedKeyUsage=clientAuth"
leaf rogue-server localhost rogue-ca "$exts"
chmod 600 ./*.key
