/**
 * The permission catalogue. Host-scoped permissions hold on the hosts of the host group a grant names;
 * global ones only come from grants on an "all hosts" group (so "admin of group X" is not a global admin).
 */
export const HOST_PERMISSIONS = [
  "host:read",
  "host:revoke",
  "container:read",
  "container:env:read",
  "container:start",
  "container:stop",
  "container:restart",
  "container:kill",
  "container:pause",
  "container:remove",
  "container:rename",
  "container:create",
  "container:create:privileged",
  "container:exec",
  "logs:read",
  "image:read",
  "image:write",
  "volume:read",
  "volume:write",
  "network:read",
  "network:write",
  "alert:ack",
] as const;

export const GLOBAL_PERMISSIONS = [
  "host:enroll",
  "hostgroup:manage",
  "user:manage",
  "team:manage",
  "role:manage",
  "grant:manage",
  "audit:read",
  "alert:manage",
  "logs:retention",
] as const;

export const PERMISSIONS = [...HOST_PERMISSIONS, ...GLOBAL_PERMISSIONS] as const;
export type HostPermission = (typeof HOST_PERMISSIONS)[number];
export type GlobalPermission = (typeof GLOBAL_PERMISSIONS)[number];
export type Permission = HostPermission | GlobalPermission;

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

export function isHostPermission(p: Permission): p is HostPermission {
  return (HOST_PERMISSIONS as readonly string[]).includes(p);
}

/** One line per permission, shown where roles are edited. */
export const PERMISSION_DESCRIPTIONS: Record<Permission, string> = {
  "host:read": "See the host, its facts and containers",
  "host:revoke": "Revoke the host's agent",
  "container:read": "List and inspect containers (env values hidden)",
  "container:env:read": "See environment values, which often hold secrets",
  "container:start": "Start containers",
  "container:stop": "Stop containers",
  "container:restart": "Restart containers",
  "container:kill": "Send signals to containers",
  "container:pause": "Pause and unpause containers",
  "container:remove": "Remove containers",
  "container:rename": "Rename containers",
  "container:create": "Create and recreate containers within the isolation policy",
  "container:create:privileged": "Create containers that weaken isolation (privileged, host namespaces, added capabilities…)",
  "container:exec": "Open a shell in containers (root on the container)",
  "logs:read": "Read container logs",
  "image:read": "List images",
  "image:write": "Pull, import and remove images",
  "volume:read": "List volumes",
  "volume:write": "Create and remove volumes",
  "network:read": "List networks",
  "network:write": "Create and remove networks",
  "alert:ack": "Acknowledge alerts raised on the host",
  "host:enroll": "Enroll new hosts",
  "hostgroup:manage": "Create host groups and change their hosts",
  "user:manage": "Create, disable and delete users; reset passwords; end sessions",
  "team:manage": "Create teams and change their members",
  "role:manage": "Create and edit custom roles",
  "grant:manage": "Grant roles on host groups (never more than one holds)",
  "audit:read": "Read and export the audit log",
  "logs:retention": "Choose which containers' logs the server keeps, and for how long",
  "alert:manage": "Create, edit and delete alert rules and webhooks; send test webhooks",
};

export const BUILTIN_ROLES = ["admin", "operator", "viewer"] as const;
export type BuiltinRole = (typeof BUILTIN_ROLES)[number];

export const BUILTIN_ROLE_PERMISSIONS: Record<BuiltinRole, readonly Permission[]> = {
  admin: PERMISSIONS,
  operator: [
    "host:read", "container:read", "container:env:read", "container:start", "container:stop", "container:restart",
    "container:kill", "container:pause", "container:remove", "container:rename", "container:create", "container:exec",
    "logs:read", "image:read", "image:write", "volume:read", "volume:write", "network:read", "network:write",
    "alert:ack",
  ],
  viewer: ["host:read", "container:read", "logs:read", "image:read", "volume:read", "network:read"],
};

/** Ids of the rows the access migration seeds. */
export const BUILTIN_ROLE_IDS: Record<BuiltinRole, string> = { admin: "role-admin", operator: "role-operator", viewer: "role-viewer" };
export const ALL_HOSTS_GROUP_ID = "group-all";
