// A certificate of our own for 127.0.0.1, made by openssl, for servers the bot reaches over https in a test;
// the bot process trusts it through NODE_EXTRA_CA_CERTS.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

export interface Certificate {
  certFile: string;
  keyFile: string;
}

export async function selfSignedCertificate(dir: string): Promise<Certificate> {
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
  return { certFile, keyFile };
}
