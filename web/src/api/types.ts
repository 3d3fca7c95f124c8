// The shapes of the admin API's answers the panel reads (docs/api.md is the reference).

export type Role = 'super_admin' | 'school_admin';

export interface Me {
  user_id: number;
  email: string;
  role: Role;
  school_id: number | null;
  csrf_token: string;
  server_time?: string;
}

export interface LoginAnswer {
  token: string;
  csrf_token: string;
  expires_at: string;
  role: Role;
  school_id: number | null;
}

export interface School {
  id: number;
  name: string;
  timezone: string;
  status: 'active' | 'inactive';
  created_at: string;
}

export interface User {
  id: number;
  email: string;
  role: Role;
  school_id: number | null;
  status: 'active' | 'inactive';
}

export type SyncMode = 'push' | 'agent';
export type Direction = 'auto' | 'in' | 'out';

export interface AgentStatus {
  reachable: boolean;
  serial: string;
  firmware: string;
  users: number | null;
  records: number | null;
  user_capacity: number | null;
  record_capacity: number | null;
  device_time: string | null;
  clock_drift_seconds: number | null;
  read_through: string | null;
  last_error: string;
  reported_at: string;
}

/** A device's last refused push (kept in memory for the last hour of the running server). */
export interface Refusal {
  at: string;
  reason: 'device_inactive' | 'not_push_mode' | 'school_inactive' | 'rate_limited' | string;
  message: string;
  status: number;
  address: string;
}

export interface UnknownPushes {
  window_seconds: number;
  items: { address: string; count: number; first_at: string; last_at: string }[];
}

export interface Device {
  id: number;
  school_id: number;
  name: string;
  sync_mode: SyncMode;
  direction: Direction;
  status: 'active' | 'inactive';
  ip: string;
  port: number;
  serial: string;
  comm_key: string;
  timezone: string | null;
  last_seen: string | null;
  created_at: string;
  agent_status?: AgentStatus | null;
  last_refused?: Refusal | null;
  api_token?: string;
}

export interface DeviceUser {
  device_id?: number;
  user_id: string;
  name: string;
  punches: number;
  first_seen: string | null;
  last_seen: string | null;
  person_id: number | null;
}

export interface UnmappedUser {
  device_id: number;
  user_id: string;
  name?: string;
  punches: number;
  first_seen: string;
  last_seen: string;
}

export interface Punch {
  device_id: number;
  user_id: string;
  timestamp: string;
  status: number | null;
  verify: number | null;
  source: string;
  received_at: string;
  batch_id: string;
}

export type Kind = 'student' | 'staff';

export interface Person {
  id: number;
  school_id: number;
  name: string;
  kind: Kind;
  external_id: string;
  group: string;
  active_from: string | null;
  active_to: string | null;
}

export interface Mapping {
  id: number;
  user_id: string;
  person_id: number;
  device_id: number | null;
  scope: 'device' | 'school';
}

export type Status = 'present' | 'late' | 'absent' | 'pending' | 'holiday' | 'excused' | 'not_tracked';
export const STATUSES: Status[] = ['present', 'late', 'absent', 'pending', 'excused', 'holiday', 'not_tracked'];
export type OverrideStatus = 'present' | 'late' | 'absent' | 'excused';

export interface ComputedRow {
  status: Status;
  in_time: string | null;
  out_time: string | null;
  late_minutes: number;
  status_rule: string;
}

export interface OverrideShown {
  id: number;
  status: OverrideStatus;
  in_time: string | null;
  out_time: string | null;
  reason: string;
  created_by: number;
  created_at: string;
  computed: ComputedRow;
}

export interface RegisterRow {
  person_id: number;
  name: string;
  kind: Kind;
  group: string;
  status: Status;
  in_time: string | null;
  out_time: string | null;
  late_minutes: number;
  flags: string[];
  outside_window_times: string[];
  status_rule: string;
  override: OverrideShown | null;
}

export type Counts = Partial<Record<Status, number>>;

export interface Register {
  date: string;
  final: boolean;
  finalized_by_admin: boolean;
  counts: Counts;
  groups: { kind: Kind; group: string; total: number; counts: Counts }[];
  silent_devices: { id: number; name: string; last_seen: string | null }[];
  warnings: string[];
  rows: RegisterRow[];
}

export interface ExplainedPunch {
  device_id: number;
  user_id: string;
  timestamp: string;
  direction: string;
  used_as: 'in' | 'out' | null;
  rule: string;
  note: string;
}

export interface Explanation {
  punches: ExplainedPunch[];
  status: Status;
  status_rule: string;
  override: OverrideShown | null;
}

export interface Window {
  start: string;
  end: string;
}

export interface AttendanceSettings {
  effective_from?: string;
  school_start_time: string | null;
  grace_minutes: number;
  school_end_time: string | null;
  early_leave_grace_minutes: number;
  in_window: Window | null;
  out_window: Window | null;
  min_in_out_gap_minutes: number;
  absent_after_minutes: number;
  school_days: string[];
  use_device_punch_state: boolean;
  late_after_in_window: boolean;
  scope?: string;
  requested_scope?: string;
  scopes?: string[];
  warnings?: string[];
  mode?: string;
}

export interface Holiday {
  id: number;
  date: string;
  name: string;
}

export interface Webhook {
  id: number;
  url: string;
  events: string[];
  active: boolean;
  created_at: string;
  secret?: string;
}

export interface Delivery {
  id: number;
  webhook_id: number;
  event: string;
  person_id: number;
  date: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: string | null;
  last_status: number;
  last_error: string;
  created_at: string;
  delivered_at: string | null;
}

export interface AuditLine {
  id: number;
  user_id: number;
  by: string;
  at: string;
  action: string;
  entity: string;
  entity_id: number;
  label: string;
  person_id: number | null;
  old: unknown;
  new: unknown;
  reason: string;
}

export interface Report {
  title: string;
  school: string;
  period: string;
  warnings: string[];
  columns: string[];
  rows: (string | number | null)[][];
}

export interface ImportAnswer {
  encoding: string;
  created: number;
  mapped: number;
  errors: { line: number; reason: string }[];
}

export interface Items<T> {
  items: T[];
}
