import { X509Certificate } from 'node:crypto';
import {
  AGG_NS,
  certificate,
  evaluate,
  federationPki,
  replace,
  resultFor,
  secureFederation,
  tlsSecret,
  without,
} from '../__testUtils__/builders';

const rule = 'CERT-02';
const DAY = 86_400_000;
// Days are counted from the certificates' own notBefore (openssl truncates to seconds).
const leafFrom = () =>
  new X509Certificate(federationPki().server.certPem).validFromDate.getTime();
const caFrom = () =>
  new X509Certificate(federationPki().ca.certPem).validFromDate.getTime();
const at = (days: number, from = leafFrom()) => new Date(from + days * DAY);
const secretResult = (report: ReturnType<typeof evaluate>) =>
  resultFor(report, rule, 'superlink-tls', AGG_NS, 'Secret');

describe('CERT-02 expiry', () => {
  // The leaf is valid 90 days from issuance, the CA 365 days.
  it('passes far from expiry', () => {
    expect(
      secretResult(evaluate(secureFederation(), { now: at(1) })).status,
    ).toBe('pass');
  });

  it('warns within 30 days and fails within 14 days', () => {
    expect(
      secretResult(evaluate(secureFederation(), { now: at(65) })).status,
    ).toBe('warn');
    const failing = secretResult(evaluate(secureFederation(), { now: at(80) }));
    expect(failing.status).toBe('fail');
    expect(failing.message).toMatch(
      /tls.crt\[0\] \(CN=superlink.fl-agg.svc\) expires in 10 day/,
    );
  });

  it('fails expired and not-yet-valid certificates', () => {
    expect(
      secretResult(evaluate(secureFederation(), { now: at(91) })).message,
    ).toMatch(/expired on/);
    const early = secretResult(evaluate(secureFederation(), { now: at(-2) }));
    expect(early.status).toBe('fail');
    expect(early.message).toMatch(/is not valid before/);
  });

  it('takes the thresholds from the input', () => {
    expect(
      secretResult(
        evaluate(secureFederation(), {
          now: at(65),
          thresholds: { expiryWarnDays: 20 },
        }),
      ).status,
    ).toBe('pass');
    expect(
      secretResult(
        evaluate(secureFederation(), {
          now: at(65),
          thresholds: { expiryFailDays: 40, expiryWarnDays: 60 },
        }),
      ).status,
    ).toBe('fail');
  });

  it('checks every certificate of the Secret, ca.crt included, and reports garbage as error', () => {
    const { ca, server } = federationPki();
    const garbageCa = replace(
      secureFederation(),
      'Secret',
      AGG_NS,
      'superlink-tls',
      tlsSecret(AGG_NS, 'superlink-tls', {
        crt: server.certPem,
        key: server.keyPem,
        ca: `${ca.certPem}\n-----BEGIN CERTIFICATE-----\nZm9v\n-----END CERTIFICATE-----\n`,
      }),
    );
    const result = secretResult(evaluate(garbageCa, { now: at(1) }));
    expect(result.status).toBe('error');
    expect(result.message).toMatch(/ca.crt: PEM block 2/);
    // At day 350 the leaf is long expired and the CA (365 days) is within 14 days.
    expect(
      secretResult(evaluate(secureFederation(), { now: at(355, caFrom()) }))
        .message,
    ).toMatch(/ca.crt\[0\] \(CN=fed CA\) expires in 10 day/);
  });

  it('checks the renewal window of Certificate specs offline', () => {
    const objects = without(
      secureFederation(),
      'Secret',
      AGG_NS,
      'superlink-tls',
    );
    const specOf = (spec: Record<string, unknown>) =>
      resultFor(
        evaluate(
          replace(
            objects,
            'Certificate',
            AGG_NS,
            'superlink-tls',
            certificate(AGG_NS, 'superlink-tls', spec),
          ),
        ),
        rule,
        'superlink-tls',
        AGG_NS,
        'Certificate',
      );
    expect(
      resultFor(evaluate(objects), rule, 'superlink-tls', AGG_NS, 'Secret')
        .status,
    ).toBe('skip');
    expect(specOf({})).toMatchObject({
      status: 'pass',
      message: expect.stringMatching(
        /lifetime 90 days, renewed 30 days before expiry/,
      ),
    });
    expect(specOf({ renewBefore: '240h' }).status).toBe('warn');
    expect(specOf({ duration: '720h', renewBefore: '720h' }).status).toBe(
      'fail',
    );
    expect(specOf({ duration: '90d' }).status).toBe('error');
    expect(
      specOf({ duration: '2160h', renewBeforePercentage: 50 }).status,
    ).toBe('pass');
  });
});

describe('CERT rules without access to Secrets', () => {
  it('report error naming the missing permission (live), never pass', () => {
    const objects = secureFederation().filter(o => o.kind !== 'Secret');
    const report = evaluate(objects, {
      cluster: 'prod',
      gaps: [
        {
          kind: 'secrets',
          namespace: AGG_NS,
          status: 'error',
          reason: 'forbidden (403)',
          missingPermission: 'get secrets in fl-agg',
        },
      ],
    });
    for (const ruleId of ['CERT-02', 'CERT-03', 'CERT-04', 'CERT-06']) {
      const result = resultFor(
        report,
        ruleId,
        'superlink-tls',
        AGG_NS,
        'Secret',
      );
      expect(result.status).toBe('error');
      expect(result.message).toMatch(
        /forbidden \(403\) \(missing permission: get secrets in fl-agg\)/,
      );
    }
    expect(resultFor(report, 'CERT-05', 'superlink').status).toBe('error');
  });
});
