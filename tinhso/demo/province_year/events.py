"""The history rows (`Events`) and the state of one case's dossiers as transitions are applied
in time order (`Group`)."""

from __future__ import annotations

from tinhso.demo.province_year.common import HOUR, KEEP, NAT, NULL, OPEN, ROLES


class Events:
    """Event rows of one chunk, column by column."""

    COLUMNS = [("dossier_id", "i"), ("at", "t"), ("action", "s"), ("from_status", "i"), ("to_status", "i"),
               ("from_step_id", "i"), ("to_step_id", "i"), ("step_name", "s"), ("sender_id", "i"),
               ("sender_name", "s"), ("sender_agency_id", "i"), ("receiver_id", "i"), ("receiver_agency_id", "i"),
               ("receiver_role", "s"), ("receiver_name", "s"), ("step_due_at", "t"), ("previous_step_due_at", "t"),
               ("comment", "s"), ("sync_status", "s")]

    def __init__(self, np):
        self.np = np
        self.blocks = {name: [] for name, _ in self.COLUMNS}
        self.n = 0

    def add(self, n, **cols):
        np = self.np
        for name, kind in self.COLUMNS:
            v = cols[name]
            if kind == "s":
                v = v if isinstance(v, list) else (v.tolist() if isinstance(v, np.ndarray) else [v] * n)
            else:
                v = np.broadcast_to(np.asarray(v, dtype=np.int64), (n,))
            self.blocks[name].append(v)
        self.n += n

    def columns(self):
        np = self.np
        out = []
        for name, kind in self.COLUMNS:
            parts = self.blocks[name]
            if kind == "s":
                out.append((name, kind, [x for p in parts for x in p]))
            else:
                out.append((name, kind, np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)))
        return out


class Group:
    """The dossiers of one case in a chunk, with their state as events are
    applied in time order."""

    def __init__(self, ctx, case, rows, plan, owners, events):
        np = ctx.np
        self.ctx, self.np, self.case, self.rows, self.events = ctx, np, case, rows, events
        n = self.n = len(rows)
        self.ids = ctx.chunk_ids[rows]
        self.owner = np.array(owners, dtype=object)[rows] if n else np.empty(0, dtype=object)
        self.status = np.zeros(n, dtype=np.int64)
        self.step = np.full(n, NULL, dtype=np.int64)  # step index in the case (-1 none)
        self.agency = plan["rcv"][rows].copy()
        self.role = np.zeros(n, dtype=np.int64)
        self.handler = np.full(n, NULL, dtype=np.int64)  # staff position
        self.due = np.full(n, NAT, dtype=np.int64)
        self.last = np.full(n, NAT, dtype=np.int64)
        self.count = np.zeros(n, dtype=np.int64)
        self.unsynced = np.zeros(n, dtype=bool)  # an event not yet synced: the dossier's `portal_synced` is false

    def emit(self, present, t, action, to_status, *, sender, sender_name=None, to_step=KEEP, receiver=KEEP,
             agency=KEEP, role=KEEP, due=KEEP, prev_due=None, comment="", from_step=False, creation=False):
        """Apply one transition to the dossiers where it happened (present and
        not after the end of the period) and write its event rows."""
        np, ctx, w = self.np, self.ctx, self.ctx.world
        valid = present & (t <= ctx.end) & (t != NAT)
        idx = np.nonzero(valid)[0]
        if not len(idx):
            return valid
        k = len(idx)

        def pick(v):
            return v[idx] if isinstance(v, np.ndarray) and v.shape == (self.n,) else v

        from_status = np.full(k, NULL, dtype=np.int64) if creation else self.status[idx]
        steps = self.case.steps
        step_ids = np.array([s.id for s in steps] + [NULL], dtype=np.int64)
        from_step_id = step_ids[self.step[idx]] if from_step else NULL
        sender_agency = self.agency[idx]
        self.status[idx] = to_status
        if to_step is not KEEP:
            self.step[idx] = pick(to_step)
        if agency is not KEEP:
            self.agency[idx] = pick(agency)
        if role is not KEEP:
            self.role[idx] = ROLES.index(role) if isinstance(role, str) else pick(role)
        if receiver is not KEEP:
            self.handler[idx] = pick(receiver)
        if due is not KEEP:
            self.due[idx] = pick(due)
        self.last[idx] = t[idx]
        self.count[idx] += 1
        synced = t[idx] < ctx.end - HOUR
        self.unsynced[idx] |= ~synced
        handler = self.handler[idx]
        s_pos = pick(sender)
        sender_id = w.staff_ids[s_pos] if isinstance(s_pos, np.ndarray) else (
            w.staff_ids[s_pos] if s_pos != NULL else NULL)
        if sender_name is None:
            s_names = w.staff_names[s_pos] if isinstance(s_pos, np.ndarray) else w.staff_names[s_pos]
            if isinstance(s_names, np.ndarray):
                s_names = np.where(s_names == "", "Hệ thống", s_names)
            else:
                s_names = s_names or "Hệ thống"
        else:
            s_names = pick(sender_name)
        r_names = w.staff_names[handler].tolist()
        if to_status in OPEN:
            roles, ags = self.role[idx].tolist(), self.agency[idx].tolist()
            for i, (h, r, a) in enumerate(zip(handler.tolist(), roles, ags)):
                if h == NULL and r:
                    key = (r, a)
                    label = ctx.label_cache.get(key)
                    if label is None:
                        label = ctx.label_cache[key] = _role_label(ROLES[r]) + " - " + w.agency_name[a]
                    r_names[i] = label[:200]
        else:
            r_names = [x if h != NULL else "" for x, h in zip(r_names, handler.tolist())]
        cur_step = self.step[idx]
        step_names = np.array([s.name[:300] for s in steps] + [""], dtype=object)[cur_step]
        self.events.add(
            k, dossier_id=self.ids[idx], at=t[idx], action=action, from_status=from_status, to_status=to_status,
            from_step_id=from_step_id, to_step_id=step_ids[cur_step], step_name=step_names,
            sender_id=sender_id, sender_name=s_names, sender_agency_id=w.agency_ids[sender_agency],
            receiver_id=w.staff_ids[handler], receiver_agency_id=w.agency_ids[self.agency[idx]],
            receiver_role=np.array(ROLES, dtype=object)[self.role[idx]], receiver_name=r_names,
            step_due_at=self.due[idx], previous_step_due_at=NAT if prev_due is None else pick(prev_due),
            comment=pick(comment) if not isinstance(comment, str) else comment,
            sync_status=np.where(synced, "synced", "pending"))
        return valid


def _role_label(role: str) -> str:
    from tinhso.accounts.models import Role

    try:
        return str(Role(role).label)
    except ValueError:
        return role


def _pick(ctx, rng, agencies, role):
    """A random holder of `role` at each agency (staff positions, -1 if none)."""
    np = ctx.np
    table = ctx.world.pool_tables.get(role)
    if table is None:
        return np.full(len(agencies), NULL, dtype=np.int64)
    offset, count, flat = table
    c = count[agencies]
    pos = offset[agencies] + (rng.random(len(agencies)) * np.maximum(c, 1)).astype(np.int64)
    return np.where(c > 0, flat[np.minimum(pos, len(flat) - 1)], NULL)
