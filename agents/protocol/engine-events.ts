import { z } from "zod";

/** Bounds an agent keeps when it shapes engine events, so a batch is never refused for size. */
export const ENGINE_EVENT_LIMITS = {
  batchEvents: 500,
  batchBytes: 1024 * 1024,
  attributes: 64,
  keyChars: 256,
  valueChars: 1024,
  idChars: 256,
  actionChars: 128,
} as const;

/**
 * One Docker engine event (container, image, volume, network, daemon, plugin, ...). `timeNano` is
 * the engine's own nanosecond timestamp as a decimal string: it does not fit a JS number exactly, and
 * the agent resumes its stream from it.
 */
export const ZEngineEvent = z.object({
  timeNano: z.string().regex(/^\d{1,20}$/, "timeNano must be decimal nanoseconds"),
  type: z.string().min(1).max(32),
  action: z.string().min(1).max(ENGINE_EVENT_LIMITS.actionChars),
  actorId: z.string().max(ENGINE_EVENT_LIMITS.idChars),
  attributes: z
    .record(z.string().max(ENGINE_EVENT_LIMITS.keyChars), z.string().max(ENGINE_EVENT_LIMITS.valueChars))
    .refine((a) => Object.keys(a).length <= ENGINE_EVENT_LIMITS.attributes, `at most ${ENGINE_EVENT_LIMITS.attributes} attributes`),
});
export type EngineEvent = z.infer<typeof ZEngineEvent>;

/** Engine events in the order the engine emitted them; `dropped` counts events the agent had to discard since its last batch. */
export const ZEngineEventBatch = z.object({
  events: z.array(ZEngineEvent).max(ENGINE_EVENT_LIMITS.batchEvents),
  dropped: z.number().int().nonnegative(),
});
export type EngineEventBatch = z.infer<typeof ZEngineEventBatch>;
