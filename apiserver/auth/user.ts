// Who a request comes from, as Kubernetes' user.Info: every stage of the pipeline sees it.
export interface UserInfo {
  name: string;
  uid: string;
  groups: string[];
  /** Authenticator-specific extras (impersonation passes them on). */
  extra?: Record<string, string[]>;
}

/** Everyone who authenticated is in this group (Kubernetes adds it to every user). */
export const authenticatedGroup = 'system:authenticated';
export const unauthenticatedGroup = 'system:unauthenticated';
/** Members may do everything: the authorizer does not even consult RBAC. */
export const mastersGroup = 'system:masters';
export const nodesGroup = 'system:nodes';
export const nodeUserPrefix = 'system:node:';

/** The apiserver itself, for what it writes on its own behalf (system namespaces, bootstrap policy). */
export const apiserverUser: UserInfo = { name: 'system:apiserver', uid: 'system:apiserver', groups: [mastersGroup, authenticatedGroup] };

export const anonymousUser: UserInfo = { name: 'system:anonymous', uid: '', groups: [unauthenticatedGroup] };

/** The same user with system:authenticated added, once. */
export function withAuthenticated(u: UserInfo): UserInfo {
  return u.groups.includes(authenticatedGroup) ? u : { ...u, groups: [...u.groups, authenticatedGroup] };
}
