/** Every rule, in catalogue order (rules/index.test.ts checks it against the catalogue). */
import { cert01Ready } from './cert01Ready';
import { cert02Expiry } from './cert02Expiry';
import { cert03KeyStrength } from './cert03KeyStrength';
import { cert04SignatureAlgorithm } from './cert04SignatureAlgorithm';
import { cert05SanCoverage } from './cert05SanCoverage';
import { cert06ChainAndUsage } from './cert06ChainAndUsage';
import { fl01FlowerTls } from './fl01FlowerTls';
import { fl02ParticipantAuth } from './fl02ParticipantAuth';
import { fl03InternalApis } from './fl03InternalApis';
import { img01ImageDigests } from './img01ImageDigests';
import { ing01Tls } from './ing01Tls';
import { ing02HostCoverage } from './ing02HostCoverage';
import { ing03Hosts } from './ing03Hosts';
import { ing04TlsSecret } from './ing04TlsSecret';
import { ing05EndToEnd } from './ing05EndToEnd';
import { mesh01StrictMtls } from './mesh01StrictMtls';
import { net01DefaultDeny } from './net01DefaultDeny';
import { net02PodIsolation } from './net02PodIsolation';
import { net03NoAllowAll } from './net03NoAllowAll';
import { net04Reachability } from './net04Reachability';
import { net05ParticipantEgress } from './net05ParticipantEgress';
import { pod01PodSecurity } from './pod01PodSecurity';
import { pod02NamespaceLabels } from './pod02NamespaceLabels';
import { sec01SecretLiterals } from './sec01SecretLiterals';
import type { Rule } from '../ruleKit';

export const ALL_RULES: readonly Rule[] = [
  net01DefaultDeny,
  net02PodIsolation,
  net03NoAllowAll,
  net04Reachability,
  net05ParticipantEgress,
  ing01Tls,
  ing02HostCoverage,
  ing03Hosts,
  ing04TlsSecret,
  ing05EndToEnd,
  cert01Ready,
  cert02Expiry,
  cert03KeyStrength,
  cert04SignatureAlgorithm,
  cert05SanCoverage,
  cert06ChainAndUsage,
  fl01FlowerTls,
  fl02ParticipantAuth,
  fl03InternalApis,
  sec01SecretLiterals,
  pod01PodSecurity,
  pod02NamespaceLabels,
  img01ImageDigests,
  mesh01StrictMtls,
];
