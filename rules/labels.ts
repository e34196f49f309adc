// The project's names for docker objects: labels every object carries and the names docker accepts. Pure, no imports.

/** Every object eos-network makes. */
export const LABEL_MANAGED = "io.eos-network.managed";
/** <project>/<stack> of the stack that owns the object. */
export const LABEL_STACK = "io.eos-network.stack";
/** Which provider made it (eosnet), so another tool's object with the same labels is not adopted. */
export const LABEL_PROVIDER = "io.eos-network.provider";
export const PROVIDER_LABEL_VALUE = "eosnet";
/** A node's role: boot, or the producer's name. */
export const LABEL_ROLE = "io.eos-network.role";
/** The host (stack config hosts[].name) a node and its volume are placed on. */
export const LABEL_HOST = "io.eos-network.host";
/** The chain id a node's volume holds. */
export const LABEL_CHAIN = "io.eos-network.chain";
/** The create-time spec of a container, to tell drift from a config change. */
export const LABEL_SPEC = "io.eos-network.spec";

/** A docker object name: letters, digits, '_', '.', '-' (2 or more), starting with a letter or digit. */
export const DOCKER_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** The address an API published on `bindAddress` is reached at from this machine (all interfaces: loopback). */
export function reachableAddress(bindAddress: string): string {
    return bindAddress === "" || bindAddress === "0.0.0.0" ? "127.0.0.1" : bindAddress;
}

/** The interfaces a publish on `bindAddress` opens ("" is docker's all interfaces). */
export function publishScope(bindAddress: string): string {
    return bindAddress === "" ? "0.0.0.0" : bindAddress;
}

/** A label value Kubernetes accepts (63 of alphanumerics, '-', '_', '.'): "eos-network/dev" becomes "eos-network.dev". */
export function kubernetesLabelValue(value: string): string {
    return value.replace(/[^A-Za-z0-9_.-]/g, ".").slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
}
