/**
 * Who trusts what in the secure federation (builders.ts): the certificates
 * the aggregator serves, the CA bundle the participants trust (their fl-ca
 * ConfigMaps behind --root-certificates) and the issuer's CA Secret, set
 * independently so tests can make them disagree (a CA rotation). For tests
 * only.
 */
import type { KubeObject } from '../types';
import { AGG_NS, SITES, b64, replace } from './builders';

export interface TrustSetup {
  /** tls.crt of the aggregator's serving Secret, in this order. */
  served: string[];
  /** ca.crt of the same Secret (cert-manager writes the issuing CA). */
  servedCa?: string[];
  /** What every participant's --root-certificates file holds. */
  participantsTrust: string[];
  /** The CA Secret of the ClusterIssuer (cert-manager/fed-ca tls.crt). */
  issuerCa?: string[];
}

export function withTrust(
  objects: KubeObject[],
  setup: TrustSetup,
): KubeObject[] {
  let out = replace(objects, 'Secret', AGG_NS, 'superlink-tls', secret => ({
    ...secret,
    data: {
      ...(secret as any).data,
      'tls.crt': b64(setup.served.join('\n')),
      'ca.crt': b64((setup.servedCa ?? setup.participantsTrust).join('\n')),
    },
  }));
  for (const site of SITES)
    out = replace(out, 'ConfigMap', site, 'fl-ca', configMap => ({
      ...configMap,
      data: { 'ca.crt': setup.participantsTrust.join('\n') },
    }));
  return replace(out, 'Secret', 'cert-manager', 'fed-ca', secret => ({
    ...secret,
    data: {
      ...(secret as any).data,
      'tls.crt': b64((setup.issuerCa ?? setup.participantsTrust).join('\n')),
    },
  }));
}

/** Every participant dials the aggregator at `address` (host:port). */
export function withSuperlinkAddress(
  objects: KubeObject[],
  address: string,
): KubeObject[] {
  let out = objects;
  for (const site of SITES)
    out = replace(out, 'Deployment', site, 'supernode', deployment => {
      const container = (deployment.spec as any).template.spec.containers[0];
      const args: string[] = container.args;
      args[args.indexOf('--superlink') + 1] = address;
      return deployment;
    });
  return out;
}
