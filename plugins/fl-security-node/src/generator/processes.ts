/**
 * The shapes of the generated processes (command, args, env of a container),
 * shared by the Flower processes (flower.ts) and the fleet gateway
 * (gateway.ts) without either importing the other.
 */
export interface EnvVar {
  name: string;
  value: string;
}

/** The container command, args and env of one Flower process. */
export interface FlowerProcess {
  command: string[];
  args: string[];
  env: EnvVar[];
}

export interface FlowerParticipantProcess extends FlowerProcess {
  participant: string;
  namespace: string;
}

export interface FlowerProcesses {
  aggregator: FlowerProcess;
  /** The in-pod gateway that serves only the Fleet API on the fleet port. */
  fleetGateway: FlowerProcess;
  participants: FlowerParticipantProcess[];
}
