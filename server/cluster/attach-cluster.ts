import crypto from "node:crypto";
import os from "node:os";
import { createAdapter } from "@socket.io/redis-adapter";
import { Redis } from "ioredis";
import type { Server } from "socket.io";
import type { Log } from "../log";
import type { RealtimeFeature } from "../realtime/realtime-feature";
import type { Services } from "../services";
import { ClusterBus } from "./cluster-bus";
import { ClusteredRegistry, ZRegistryMessage } from "./clustered-registry";
import { forwardingCommands, forwardingFeatures, type GatewayCommands } from "./forward-agent-events";
import { ClusterLinkRouter } from "./link-router";
import { mirrorFeeds } from "./mirror-feeds";
import { LeaderLease } from "./leader-lease";
import { ReplicaPeers } from "./replica-peers";
import { StreamAffinity } from "./stream-affinity";

export type Cluster = {
  replicaId: string;
  /** Resolves once this replica receives what the others publish (wait for it before serving). */
  ready: Promise<void>;
  /** Other replicas heard from recently. */
  peers(): string[];
  /** Runs `change` whenever this replica gains or loses the leader lease (taken from the first call on). */
  onLeadership(change: (leading: boolean) => void): void;
  /** This replica holds the leader lease now. */
  leading(): boolean;
  /** Leaves the cluster; call after io.close() (the adapter unsubscribes over these connections). */
  close(): Promise<void>;
};

const clusters = new WeakMap<Server, Cluster>();

/** The cluster this socket.io server is part of (null: a single process). */
export function clusterOf(io: Server): Cluster | null {
  return clusters.get(io) ?? null;
}

/**
 * Makes this process one replica among several behind one address: socket.io's Redis adapter (so
 * rooms, broadcasts and remote disconnects span replicas), plus a small message bus on the same Redis
 * that replicates the host registry, routes requests to the replica holding each agent, sends agent
 * events back to the replica that opened their stream, and mirrors live feeds to every replica.
 * Returns the features and command service the agent gateway must use in their place.
 */
export function attachCluster(io: Server, services: Services, features: RealtimeFeature[]): { features: RealtimeFeature[]; commands: GatewayCommands } {
  const { config, registry } = services;
  if (!config.redisUrl) throw new Error("attachCluster needs REDIS_URL");
  if (!(registry instanceof ClusteredRegistry)) throw new Error("with REDIS_URL the services must be built with a ClusteredRegistry (server/bootstrap.ts)");
  const replicaId = `${os.hostname()}-${process.pid}-${crypto.randomBytes(3).toString("hex")}`;
  const log = services.log.child({ component: "cluster", replicaId });
  const connections = Array.from({ length: 4 }, () => connect(config.redisUrl!, log));
  const [adapterPub, adapterSub, busPub, busSub] = connections as [Redis, Redis, Redis, Redis];
  io.adapter(createAdapter(adapterPub, adapterSub, { key: "portolan-socket.io" }));

  const bus = new ClusterBus({ pub: busPub, sub: busSub }, replicaId, log);
  const peers = new ReplicaPeers(bus);
  const affinity = new StreamAffinity();
  const router = new ClusterLinkRouter({ links: services.commands.links, registry, bus, affinity, log });
  services.commands.links.route(router);

  registry.replicate({
    replicaId,
    publish: (message) => bus.broadcast("registry", message),
    hostMoved(hostId, online) {
      if (online) router.hostLeft(hostId); // connected elsewhere: nothing of it is served from here any more
      for (const feature of features) {
        if (online) feature.agentConnected?.(hostId);
        else feature.agentDisconnected?.(hostId);
      }
    },
  });
  bus.on("registry", (body, from) => {
    peers.heard(from);
    registry.applyRemote(from, ZRegistryMessage.parse(body));
  });
  peers.on("joined", (peer) => {
    log.info({ peer }, "replica joined");
    for (const message of registry.stateOfLocalHosts()) bus.send(peer, "registry", message);
  });
  peers.on("gone", (peer) => {
    const hosts = registry.dropReplica(peer);
    log.warn({ peer, hosts: hosts.length }, "replica gone; its hosts show offline until their agents reconnect");
    bus.replicaGone(peer);
    router.replicaGone(peer);
    for (const hostId of hosts) for (const feature of features) feature.agentDisconnected?.(hostId);
  });
  const unmirror = mirrorFeeds(services, bus);
  const lease = new LeaderLease(busPub, replicaId, log);
  reloadEverywhere(services, bus, lease);

  const ready = bus.start().then(() => {
    peers.start();
    log.info("replica joined the cluster");
  });
  ready.catch((err: unknown) => log.error({ err }, "could not join the cluster"));
  clusters.set(io, {
    replicaId,
    ready,
    peers: () => peers.alive(),
    onLeadership(change) {
      lease.on("change", change);
      if (lease.listenerCount("change") === 1) void ready.then(() => lease.start());
    },
    leading: () => lease.isLeader,
    async close() {
      await lease.stop();
      peers.stop();
      unmirror();
      registry.stopReplicating();
      bus.stop();
      // One round trip on each connection first: replies to the adapter's unsubscribes arrive before QUIT.
      await Promise.all(connections.map((c) => c.ping().catch(() => undefined)));
      await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
    },
  });

  // The agent gateway's own bookkeeping for hosts held here: a host that leaves ends what others asked of it.
  const clusterFeature: RealtimeFeature = { name: "cluster", agentDisconnected: (hostId) => router.hostLeft(hostId) };
  const deps = { bus, affinity };
  return { features: [...forwardingFeatures(features, deps), clusterFeature], commands: forwardingCommands(services.commands, deps) };
}

/**
 * Alert rules and log retention rules change through the API on any replica; the leader must re-read
 * them. A replica that does not lead never runs retention streams itself.
 */
function reloadEverywhere(services: Services, bus: ClusterBus, lease: LeaderLease): void {
  const { alerts, logs } = services;
  const reloadAlerts = alerts.reload.bind(alerts);
  const reloadRetention = logs.retention.reload.bind(logs.retention);
  alerts.reload = async () => {
    bus.broadcast("duties:reload", "alerts");
    await reloadAlerts(); // does nothing where alerts are not running
  };
  logs.retention.reload = async () => {
    bus.broadcast("duties:reload", "retention");
    if (lease.isLeader) await reloadRetention();
  };
  bus.on("duties:reload", async (body) => {
    if (body === "alerts") await reloadAlerts();
    else if (body === "retention" && lease.isLeader) await reloadRetention();
  });
}

/** One Redis connection; ioredis reconnects (and resubscribes) by itself, errors are logged at most every 10 s. */
function connect(url: string, log: Log): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: null, enableAutoPipelining: true });
  let lastLogged = 0;
  client.on("error", (err: Error) => {
    if (Date.now() - lastLogged < 10_000) return;
    lastLogged = Date.now();
    log.error({ err: err.message }, "redis connection error");
  });
  return client;
}
