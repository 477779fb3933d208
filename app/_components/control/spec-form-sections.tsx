"use client";

import type { Dispatch, SetStateAction } from "react";
import { LINUX_CAPS } from "../../../agents/protocol/container-spec";
import type { IsolationRisk } from "../../../server/domain/containers/isolation-policy";
import { bytes } from "../format";
import { cx, Section } from "../ui";
import { AddRowButton, Checkbox, compactInputClass, Field, FieldError, RemoveRowButton, RiskLines, RowHeader } from "./form-parts";
import { KeyValueRows } from "./key-value-rows";
import { DEFAULT_CAPS, mountRisks, rowId, type FormReading, type SpecForm } from "./spec-model";
import { parseBytes, parseCpus } from "./units";

export type SpecOptions = {
  images: string[];
  volumes: string[];
  networks: string[];
};

type Props = { form: SpecForm; setForm: Dispatch<SetStateAction<SpecForm>>; reading: FormReading; options: SpecOptions };

const risksOf = (risks: IsolationRisk[], field: string) => risks.filter((r) => r.field === field);

/** The create form's sections, top to bottom. Every change re-reads the whole form (schema + policy). */
export function SpecFormSections(props: Props) {
  return (
    <>
      <ImageSection {...props} />
      <Section title="Environment" description="Values are masked; Show reveals one.">
        <KeyValueRows noun="Variable" secret rows={props.form.env} onChange={(env) => props.setForm((f) => ({ ...f, env }))} errors={(i) => props.reading.errors[`env.${i}`]} />
      </Section>
      <PortsSection {...props} />
      <MountsSection {...props} />
      <ResourcesSection {...props} />
      <SecuritySection {...props} />
      <Section title="Labels">
        <KeyValueRows noun="Label" keyPlaceholder="com.example.key" rows={props.form.labels} onChange={(labels) => props.setForm((f) => ({ ...f, labels }))} errors={(i) => props.reading.errors[`labels.${i}`]} />
        <FieldError message={props.reading.errors.labels} />
      </Section>
      <HealthSection {...props} />
    </>
  );
}

function ImageSection({ form, setForm, reading, options }: Props) {
  const e = reading.errors;
  const set = (patch: Partial<SpecForm>) => setForm((f) => ({ ...f, ...patch }));
  return (
    <Section title="Image and command">
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Image" error={e.image} hint={options.images.length ? `${options.images.length} ${options.images.length === 1 ? "image" : "images"} on this host (suggested as you type); any reference works.` : "An image on this host, e.g. local/busybox:latest."}>
          {(p) => (
            <>
              <input {...p} list={`${p.id}-list`} required value={form.image} onChange={(ev) => set({ image: ev.target.value })} placeholder="repository:tag" autoComplete="off" spellCheck={false} className={cx(compactInputClass, "font-mono text-xs")} />
              <datalist id={`${p.id}-list`}>
                {options.images.map((i) => (
                  <option key={i} value={i} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field label="Name" error={e.name} hint="Optional; Docker picks one when empty.">
          {(p) => <input {...p} value={form.name} onChange={(ev) => set({ name: ev.target.value })} placeholder="my-service" autoComplete="off" spellCheck={false} className={compactInputClass} />}
        </Field>
        <Field label="Command" error={e.command} hint={<>Shell-style words or a JSON array; empty uses the image&apos;s CMD.</>}>
          {(p) => <input {...p} value={form.command} onChange={(ev) => set({ command: ev.target.value })} placeholder={`sh -c 'echo hello'`} autoComplete="off" spellCheck={false} className={cx(compactInputClass, "font-mono text-xs")} />}
        </Field>
        <Field label="Entrypoint" error={e.entrypoint} hint="Empty keeps the image's entrypoint.">
          {(p) => <input {...p} value={form.entrypoint} onChange={(ev) => set({ entrypoint: ev.target.value })} autoComplete="off" spellCheck={false} className={cx(compactInputClass, "font-mono text-xs")} />}
        </Field>
        <Field label="User" error={e.user} hint="user or uid[:gid]; empty uses the image's user.">
          {(p) => <input {...p} value={form.user} onChange={(ev) => set({ user: ev.target.value })} placeholder="1000:1000" autoComplete="off" spellCheck={false} className={compactInputClass} />}
        </Field>
        <Field label="Network" error={e.network} risks={risksOf(reading.risks, "network")}>
          {(p) => (
            <select {...p} value={form.network} onChange={(ev) => set({ network: ev.target.value })} className={compactInputClass}>
              {[...new Set(["bridge", ...options.networks, "host", "none", form.network])].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div className="mt-3">
        <Checkbox label="Start the container after creating it" checked={form.start} onChange={(start) => set({ start })} />
      </div>
    </Section>
  );
}

const PORT_GRID = "grid-cols-[minmax(0,3fr)_minmax(0,2fr)_minmax(0,2fr)_minmax(0,2fr)_2rem]";

function PortsSection({ form, setForm, reading }: Props) {
  const update = (id: string, patch: Partial<SpecForm["ports"][number]>) => setForm((f) => ({ ...f, ports: f.ports.map((p) => (p.id === id ? { ...p, ...patch } : p)) }));
  return (
    <Section title="Port bindings" description="Empty host IP listens on every interface; empty host port picks a free one.">
      <div className="space-y-1.5">
        {form.ports.length > 0 && <RowHeader columns={["Host IP", "Host port", "Container port", "Protocol", ""]} gridClass={PORT_GRID} />}
        {form.ports.map((p, i) => (
          <div key={p.id}>
            <div className={cx("grid items-center gap-2", PORT_GRID)}>
              <input aria-label={`Port ${i + 1} host IP`} value={p.hostIp} onChange={(e) => update(p.id, { hostIp: e.target.value })} placeholder="0.0.0.0" className={cx(compactInputClass, "font-mono text-xs")} />
              <input aria-label={`Port ${i + 1} host port`} inputMode="numeric" value={p.hostPort} onChange={(e) => update(p.id, { hostPort: e.target.value })} placeholder="auto" className={cx(compactInputClass, "font-mono text-xs")} />
              <input aria-label={`Port ${i + 1} container port`} inputMode="numeric" required value={p.containerPort} onChange={(e) => update(p.id, { containerPort: e.target.value })} placeholder="80" className={cx(compactInputClass, "font-mono text-xs")} />
              <select aria-label={`Port ${i + 1} protocol`} value={p.protocol} onChange={(e) => update(p.id, { protocol: e.target.value as "tcp" })} className={compactInputClass}>
                <option value="tcp">tcp</option>
                <option value="udp">udp</option>
                <option value="sctp">sctp</option>
              </select>
              <RemoveRowButton label={`Remove port ${i + 1}`} onClick={() => setForm((f) => ({ ...f, ports: f.ports.filter((x) => x.id !== p.id) }))} />
            </div>
            <FieldError message={reading.errors[`ports.${i}`]} />
          </div>
        ))}
        <AddRowButton label="Add port" onClick={() => setForm((f) => ({ ...f, ports: [...f.ports, { id: rowId(), hostIp: "", hostPort: "", containerPort: "", protocol: "tcp" }] }))} />
      </div>
    </Section>
  );
}

const MOUNT_GRID = "grid-cols-[7rem_minmax(0,3fr)_minmax(0,3fr)_5.5rem_2rem]";

function MountsSection({ form, setForm, reading, options }: Props) {
  const update = (id: string, patch: Partial<SpecForm["mounts"][number]>) => setForm((f) => ({ ...f, mounts: f.mounts.map((m) => (m.id === id ? { ...m, ...patch } : m)) }));
  return (
    <Section title="Mounts" description="Bind mounts share a host path; volumes are managed by Docker.">
      <div className="space-y-1.5">
        {form.mounts.length > 0 && <RowHeader columns={["Type", "Source", "Target in container", "", ""]} gridClass={MOUNT_GRID} />}
        <datalist id="portolan-volume-names">
          {options.volumes.map((v) => (
            <option key={v} value={v} />
          ))}
        </datalist>
        {form.mounts.map((m, i) => (
          <div key={m.id}>
            <div className={cx("grid items-center gap-2", MOUNT_GRID)}>
              <select aria-label={`Mount ${i + 1} type`} value={m.type} onChange={(e) => update(m.id, { type: e.target.value as "bind" })} className={compactInputClass}>
                <option value="volume">volume</option>
                <option value="bind">bind</option>
              </select>
              <input
                aria-label={`Mount ${i + 1} source`}
                list={m.type === "volume" ? "portolan-volume-names" : undefined}
                value={m.source}
                onChange={(e) => update(m.id, { source: e.target.value })}
                placeholder={m.type === "volume" ? "volume name" : "/host/path"}
                spellCheck={false}
                className={cx(compactInputClass, "font-mono text-xs")}
              />
              <input aria-label={`Mount ${i + 1} target`} value={m.target} onChange={(e) => update(m.id, { target: e.target.value })} placeholder="/data" spellCheck={false} className={cx(compactInputClass, "font-mono text-xs")} />
              <Checkbox label="read-only" checked={m.readOnly} onChange={(readOnly) => update(m.id, { readOnly })} className="text-xs whitespace-nowrap" />
              <RemoveRowButton label={`Remove mount ${i + 1}`} onClick={() => setForm((f) => ({ ...f, mounts: f.mounts.filter((x) => x.id !== m.id) }))} />
            </div>
            <FieldError message={reading.errors[`mounts.${i}`]} />
            <RiskLines risks={mountRisks(m)} />
          </div>
        ))}
        <AddRowButton label="Add mount" onClick={() => setForm((f) => ({ ...f, mounts: [...f.mounts, { id: rowId(), type: "volume", source: "", target: "", readOnly: false }] }))} />
      </div>
    </Section>
  );
}

function ResourcesSection({ form, setForm, reading }: Props) {
  const e = reading.errors;
  const set = (patch: Partial<SpecForm>) => setForm((f) => ({ ...f, ...patch }));
  const mem = form.memory.trim() ? parseBytes(form.memory) : null;
  const cpus = form.cpus.trim() ? parseCpus(form.cpus) : null;
  return (
    <Section title="Restart policy and limits">
      <div className="grid gap-3 sm:grid-cols-5">
        <Field label="Restart policy" error={e.restartPolicy} className="sm:col-span-1">
          {(p) => (
            <select {...p} value={form.restartPolicy} onChange={(ev) => set({ restartPolicy: ev.target.value as SpecForm["restartPolicy"] })} className={compactInputClass}>
              <option value="no">no</option>
              <option value="always">always</option>
              <option value="unless-stopped">unless-stopped</option>
              <option value="on-failure">on-failure</option>
            </select>
          )}
        </Field>
        <Field label="Max retries" hint={form.restartPolicy === "on-failure" ? "0 = unlimited" : "on-failure only"}>
          {(p) => <input {...p} inputMode="numeric" disabled={form.restartPolicy !== "on-failure"} value={form.maxRetries} onChange={(ev) => set({ maxRetries: ev.target.value })} className={compactInputClass} />}
        </Field>
        <Field label="Memory limit" error={e.memoryBytes} hint={mem ? `= ${bytes(mem)}` : "e.g. 512m, 1.5g"}>
          {(p) => <input {...p} value={form.memory} onChange={(ev) => set({ memory: ev.target.value })} placeholder="no limit" autoComplete="off" className={compactInputClass} />}
        </Field>
        <Field label="CPUs" error={e.nanoCpus} hint={cpus ? `= ${cpus.toLocaleString()} nano-CPUs` : "e.g. 0.5, 1.5"}>
          {(p) => <input {...p} inputMode="decimal" value={form.cpus} onChange={(ev) => set({ cpus: ev.target.value })} placeholder="no limit" autoComplete="off" className={compactInputClass} />}
        </Field>
        <Field label="PIDs limit" error={e.pidsLimit} hint="max processes">
          {(p) => <input {...p} inputMode="numeric" value={form.pids} onChange={(ev) => set({ pids: ev.target.value })} placeholder="no limit" autoComplete="off" className={compactInputClass} />}
        </Field>
      </div>
    </Section>
  );
}

const EXTRA_CAPS = LINUX_CAPS.filter((c) => !DEFAULT_CAPS.includes(c));

function SecuritySection({ form, setForm, reading }: Props) {
  const set = (patch: Partial<SpecForm>) => setForm((f) => ({ ...f, ...patch }));
  const toggleIn = (list: string[], cap: string, on: boolean) => (on ? [...new Set([...list, cap])] : list.filter((c) => c !== cap));
  const risks = reading.risks;
  return (
    <Section title="Security and isolation" description="Settings marked ▲ weaken the container's isolation from the host.">
      <div className="grid gap-4 lg:grid-cols-2">
        <fieldset>
          <legend className="mb-1 text-xs font-medium text-zinc-700 dark:text-zinc-300">Docker&apos;s default capabilities (uncheck to drop)</legend>
          <div className="grid grid-cols-2 gap-x-3 gap-y-1 sm:grid-cols-3">
            {DEFAULT_CAPS.map((cap) => (
              <Checkbox key={cap} className="font-mono text-xs" label={cap} checked={!form.capDrop.includes(cap) && !form.capDrop.includes("ALL")} onChange={(on) => set({ capDrop: toggleIn(form.capDrop.filter((c) => c !== "ALL"), cap, !on) })} />
            ))}
          </div>
          <div className="mt-1.5 flex gap-3 text-xs">
            <button type="button" className="text-sky-700 hover:underline dark:text-sky-400" onClick={() => set({ capDrop: [...DEFAULT_CAPS] })}>
              Drop all
            </button>
            <button type="button" className="text-sky-700 hover:underline dark:text-sky-400" onClick={() => set({ capDrop: [] })}>
              Keep defaults
            </button>
          </div>
          <FieldError message={reading.errors.capDrop} />
        </fieldset>
        <fieldset>
          <legend className="mb-1 text-xs font-medium text-zinc-700 dark:text-zinc-300">Extra capabilities (check to add)</legend>
          <div className="grid grid-cols-2 gap-x-3 gap-y-1 sm:grid-cols-3">
            {EXTRA_CAPS.map((cap) => (
              <Checkbox key={cap} className="font-mono text-xs" label={cap} checked={form.capAdd.includes(cap)} onChange={(on) => set({ capAdd: toggleIn(form.capAdd, cap, on) })} />
            ))}
          </div>
          <FieldError message={reading.errors.capAdd} />
          <RiskLines risks={risksOf(risks, "capAdd")} />
        </fieldset>
      </div>
      <div className="mt-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        <div>
          <Checkbox label="Read-only root filesystem" checked={form.readOnlyRootfs} onChange={(readOnlyRootfs) => set({ readOnlyRootfs })} />
          <Checkbox label="No new privileges" hint="setuid binaries cannot raise privileges" checked={form.noNewPrivileges} onChange={(noNewPrivileges) => set({ noNewPrivileges })} className="mt-2" />
          <Checkbox label="Privileged" hint="every capability and device; avoid" checked={form.privileged} onChange={(privileged) => set({ privileged })} className="mt-2" />
          <RiskLines risks={risksOf(risks, "privileged")} />
        </div>
        <Field label="Seccomp profile" risks={risksOf(risks, "seccomp")}>
          {(p) => (
            <select {...p} value={form.seccomp} onChange={(ev) => set({ seccomp: ev.target.value as "default" })} className={compactInputClass}>
              <option value="default">default (Docker&apos;s profile)</option>
              <option value="unconfined">unconfined</option>
            </select>
          )}
        </Field>
        <div className="grid grid-cols-2 content-start gap-2">
          <NamespaceSelect label="PID namespace" value={form.pidMode} values={["private", "host"]} onChange={(pidMode) => set({ pidMode })} risks={risksOf(risks, "pidMode")} />
          <NamespaceSelect label="IPC namespace" value={form.ipcMode} values={["private", "shareable", "host"]} onChange={(ipcMode) => set({ ipcMode })} risks={risksOf(risks, "ipcMode")} />
          <NamespaceSelect label="UTS namespace" value={form.utsMode} values={["private", "host"]} onChange={(utsMode) => set({ utsMode })} risks={risksOf(risks, "utsMode")} />
          <NamespaceSelect label="Cgroup namespace" value={form.cgroupnsMode} values={["private", "host"]} onChange={(cgroupnsMode) => set({ cgroupnsMode })} risks={risksOf(risks, "cgroupnsMode")} />
        </div>
      </div>
    </Section>
  );
}

function NamespaceSelect<T extends string>({ label, value, values, onChange, risks }: { label: string; value: T; values: T[]; onChange: (v: T) => void; risks: IsolationRisk[] }) {
  return (
    <Field label={label} risks={risks}>
      {(p) => (
        <select {...p} value={value} onChange={(ev) => onChange(ev.target.value as T)} className={compactInputClass}>
          {values.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

function HealthSection({ form, setForm, reading }: Props) {
  const hc = form.healthcheck;
  const set = (patch: Partial<SpecForm["healthcheck"]>) => setForm((f) => ({ ...f, healthcheck: { ...f.healthcheck, ...patch } }));
  return (
    <Section title="Healthcheck" actions={<Checkbox label="Enabled" checked={hc.enabled} onChange={(enabled) => set({ enabled })} />}>
      {hc.enabled ? (
        <div className="grid gap-3 sm:grid-cols-6">
          <Field label="Test command" error={reading.errors.healthcheck} hint="Run by the shell unless it starts with CMD." className="sm:col-span-2">
            {(p) => <input {...p} value={hc.test} onChange={(ev) => set({ test: ev.target.value })} placeholder="wget -q -O- localhost || exit 1" spellCheck={false} className={cx(compactInputClass, "font-mono text-xs")} />}
          </Field>
          {(
            [
              ["Interval (s)", "interval"],
              ["Timeout (s)", "timeout"],
              ["Retries", "retries"],
              ["Start period (s)", "startPeriod"],
            ] as const
          ).map(([label, key]) => (
            <Field key={key} label={label}>
              {(p) => <input {...p} inputMode="decimal" value={hc[key]} onChange={(ev) => set({ [key]: ev.target.value })} className={compactInputClass} />}
            </Field>
          ))}
        </div>
      ) : (
        <p className="text-xs text-zinc-500 dark:text-zinc-400">The image&apos;s healthcheck, if any, applies.</p>
      )}
    </Section>
  );
}
