import { z } from "zod";

/**
 * The parts of Docker Engine API responses the agent reads, validated at the boundary.
 * Unknown fields pass through untouched; missing optional ones get safe defaults.
 */
export const ZDockerSummary = z.object({
  Id: z.string(),
  Names: z.array(z.string()).default([]),
  Image: z.string().default(""),
  ImageID: z.string().default(""),
  Command: z.string().default(""),
  Created: z.number(),
  State: z.string(),
  Status: z.string().default(""),
  Ports: z
    .array(
      z.object({
        IP: z.string().optional(),
        PrivatePort: z.number(),
        PublicPort: z.number().optional(),
        Type: z.string(),
      }),
    )
    .default([]),
  Labels: z.record(z.string(), z.string()).nullable().default({}),
  NetworkSettings: z
    .object({
      Networks: z
        .record(
          z.string(),
          z.object({
            IPAddress: z.string().optional(),
            MacAddress: z.string().optional(),
            Gateway: z.string().optional(),
          }),
        )
        .nullable()
        .default({}),
    })
    .nullable()
    .default({ Networks: {} }),
});
export type DockerSummary = z.infer<typeof ZDockerSummary>;

export const ZDockerInspect = z.object({
  Id: z.string(),
  RestartCount: z.number().default(0),
  State: z.object({
    Status: z.string(),
    StartedAt: z.string().optional(),
    FinishedAt: z.string().optional(),
    ExitCode: z.number().optional(),
    Health: z.object({ Status: z.string() }).nullable().optional(),
  }),
});
export type DockerInspect = z.infer<typeof ZDockerInspect>;

export const ZDockerEvent = z.object({
  Type: z.string().optional(),
  Action: z.string(),
  Actor: z.object({ ID: z.string() }),
  time: z.number().optional(),
  timeNano: z.number().optional(),
});

export const ZDockerInfo = z.object({
  Name: z.string().optional(),
  OperatingSystem: z.string().optional(),
  KernelVersion: z.string().optional(),
  Architecture: z.string().optional(),
  NCPU: z.number().optional(),
  MemTotal: z.number().optional(),
  ServerVersion: z.string().optional(),
  CgroupVersion: z.string().optional(),
  CgroupDriver: z.string().optional(),
  Driver: z.string().optional(),
  SecurityOptions: z.array(z.string()).nullable().optional(),
});

export const ZDockerVersion = z.object({ ApiVersion: z.string().optional(), Version: z.string().optional() });
