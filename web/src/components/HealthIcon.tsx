import { useEffect, useRef, useState } from 'react';
import { formatUptime } from '../lib/format.ts';
import {
  HEALTH_LABEL,
  healthLevel,
  serviceLevel,
  serviceSummary,
  sortServices,
  type HealthReading,
} from '../lib/health.ts';
import { useServices } from '../live/use-live.ts';

/** Healthy / degraded / offline, from main_app's /health; a click lists every service. */
export function HealthIcon({ reading, now }: { reading: HealthReading; now: number }) {
  const [open, setOpen] = useState(false);
  const level = healthLevel(reading, now);
  const root = useRef<HTMLDivElement>(null);
  const { services, error } = useServices(open);

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (
        event instanceof KeyboardEvent
          ? event.key === 'Escape'
          : !root.current?.contains(event.target as Node)
      )
        setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  const failing = reading.health?.checks.filter((c) => !c.ok) ?? [];
  return (
    <div className="health" ref={root}>
      <button
        type="button"
        className={`health-icon level-${level}`}
        data-testid="health-icon"
        data-level={level}
        aria-expanded={open}
        title={`Platform: ${HEALTH_LABEL[level]}`}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="dot" aria-hidden="true" />
        <span className="health-label">{HEALTH_LABEL[level]}</span>
      </button>
      {open && (
        <div className="popover" data-testid="services-list" role="dialog" aria-label="Services">
          <div className="popover-title">
            Platform {HEALTH_LABEL[level].toLowerCase()}
            {reading.health && <span className="dim"> · v{reading.health.version}</span>}
          </div>
          {failing.map((check) => (
            <div className="check-failing" key={check.name}>
              {check.detail ?? check.name}
            </div>
          ))}
          {error && <div className="check-failing">services unavailable: {error}</div>}
          {!services && !error && <div className="dim">loading…</div>}
          {services && (
            <table className="services">
              <tbody>
                {sortServices(services).map((s) => (
                  <tr key={s.name} className={`svc level-${serviceLevel(s)}`} data-testid="service">
                    <td>
                      <span className="dot" aria-hidden="true" />
                    </td>
                    <td className="svc-name" title={s.role}>
                      {s.name}
                    </td>
                    <td className="svc-state" title={s.lastError ?? undefined}>
                      {serviceSummary(s)}
                    </td>
                    <td className="num dim">{s.state === 'running' ? formatUptime(s.uptimeSeconds) : ''}</td>
                    <td className="num dim" title="restarts">
                      {s.restarts > 0 ? `↻${s.restarts}` : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </div>
  );
}
