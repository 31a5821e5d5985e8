/** The work behind `recio model …` (see model-commands.ts for the definitions). */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  exportV2FingerprintSet,
  importV2FingerprintSet,
  strikeProbability,
  type Settlement,
  type Weighting,
} from '../domain/model/index.ts';
import { SYMBOLS, type EpochMs, type SymbolId } from '../domain/units.ts';
import { buildModelFromStore } from '../storage/models/build-from-store.ts';
import { MODEL_ID_PATTERN, newModelId } from '../storage/models/model-id.ts';
import {
  activateModel,
  listModels,
  loadActiveModel,
  loadModel,
  saveModel,
  type ModelSummary,
} from '../storage/models/model-repository.ts';
import { progressBar } from './progress-bar.ts';
import { CliUsageError, userErrors, withStore } from './storage-context.ts';

const iso = (ms: EpochMs | null) => (ms === null ? '—' : new Date(ms).toISOString().replace(':00.000Z', 'Z'));

function checkModelId(id: string | undefined): void {
  if (id !== undefined && !MODEL_ID_PATTERN.test(id)) {
    throw new CliUsageError(`--id "${id}": use 1–80 letters, digits, '.', '_' or '-'`);
  }
}

function describeWeighting(w: Weighting | null): string {
  if (w === null) return '—';
  if (w.kind === 'half-life') return `half-life ${w.halfLifeDays} d`;
  return w.kind === 'v2-year' ? `v2-year (latest ${w.latestYear ?? '?'})` : 'none';
}

export const modelBuild = userErrors(
  async (options: {
    symbol: SymbolId;
    from?: EpochMs;
    to?: EpochMs;
    weighting: Weighting;
    synthetic?: boolean;
    activate?: boolean;
    id?: string;
  }) => {
    checkModelId(options.id);
    if (options.from !== undefined && options.to !== undefined && options.from > options.to) {
      throw new CliUsageError('--from is after --to');
    }
    const startedAt = performance.now();
    await withStore(async ({ database }) => {
      const series = options.synthetic ? 'synthetic' : 'real';
      const bar = progressBar(`building ${options.symbol} model`);
      // Reading is about a third of the time on a large history, counting the rest.
      const grid = await buildModelFromStore(database.db, {
        symbol: options.symbol,
        series,
        ...(options.from === undefined ? {} : { from: options.from }),
        ...(options.to === undefined ? {} : { to: options.to }),
        weighting: options.weighting,
        builtAt: Date.now(),
        ...(options.id === undefined ? {} : { modelId: options.id }),
        onProgress: (phase, fraction) =>
          bar.update(
            phase === 'read' ? 0.3 * fraction : 0.3 + 0.7 * fraction,
            phase === 'read' ? 'reading candles' : 'counting',
          ),
      });
      bar.done();
      const saved = await saveModel(database.db, grid, { activate: options.activate === true });
      const secs = ((performance.now() - startedAt) / 1000).toFixed(1);
      console.log(
        `model ${saved.modelId}${saved.synthetic ? ' (SYNTHETIC)' : ''}: ${saved.symbol}, source ${saved.source}, ` +
          `${iso(saved.from)} … ${iso(saved.to)}, rows used ${saved.rowsUsed?.toLocaleString('en-US')}, ` +
          `weighting ${describeWeighting(saved.weighting)}, ${secs} s` +
          (saved.active ? ' — active' : ' (not active: `recio model activate` it)'),
      );
      if (grid.meta.rowsFilledFromBaseline > 0) {
        console.log(
          `note: ${grid.meta.rowsFilledFromBaseline} (bucket, minute) rows had no sample and copy the baseline row`,
        );
      }
    });
  },
);

/** The v2 files of a directory (name → text); only `*.csv` files are read. */
async function readV2Directory(dir: string): Promise<Map<string, string>> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new CliUsageError(`cannot read directory ${dir}: ${(error as Error).message}`);
  }
  const files = new Map<string, string>();
  for (const name of names.filter((n) => n.endsWith('.csv')).sort()) {
    const path = join(dir, name);
    if ((await stat(path)).isFile()) files.set(name, await readFile(path, 'utf8'));
  }
  return files;
}

function symbolOfV2Files(files: ReadonlyMap<string, string>): SymbolId | undefined {
  const found = SYMBOLS.filter((s) => files.has(`${s.toLowerCase()}_fingerprint_directional_baseline.csv`));
  return found.length === 1 ? found[0] : undefined;
}

export const modelImportV2 = userErrors(
  async (dir: string, options: { symbol?: SymbolId; activate?: boolean; id?: string }) => {
    checkModelId(options.id);
    const path = resolve(dir);
    const files = await readV2Directory(path);
    const symbol = options.symbol ?? symbolOfV2Files(files) ?? 'BTC';
    const builtAt = Date.now();
    // Parsed and validated completely before the database is touched: a bad file stores nothing.
    const grid = importV2FingerprintSet(files, {
      symbol,
      modelId: options.id ?? newModelId(symbol, 'v2-import', builtAt),
      builtAt,
    });
    await withStore(async ({ database }) => {
      const saved = await saveModel(database.db, grid, { activate: options.activate === true });
      console.log(
        `imported v2 set ${path} as model ${saved.modelId} (${saved.symbol})` +
          (saved.active ? ' — active' : ' (not active: `recio model activate` it)'),
      );
    });
  },
);

export const modelExport = userErrors(
  async (dir: string, options: { model?: string; symbol: SymbolId; force?: boolean }) => {
    const target = resolve(dir);
    await withStore(async ({ database }) => {
      const grid = options.model
        ? await loadModel(database.db, options.model)
        : await loadActiveModel(database.db, options.symbol);
      if (!grid)
        throw new CliUsageError(`no active ${options.symbol} model; pass --model (see \`recio model list\`)`);
      const files = exportV2FingerprintSet(grid);
      await mkdir(target, { recursive: true });
      const existing = new Set(await readdir(target));
      const clash = [...files.keys()].filter((name) => existing.has(name));
      if (clash.length > 0 && !options.force) {
        throw new CliUsageError(
          `${target} already holds ${clash.length} files of a set (e.g. ${clash[0]}); pass --force to overwrite`,
        );
      }
      // Written beside the target first, then renamed into place: no half-written file is left.
      const staging = join(target, `.recio-export-${randomBytes(4).toString('hex')}`);
      await mkdir(staging);
      try {
        for (const [name, text] of files) await writeFile(join(staging, name), text);
        for (const name of files.keys()) await rename(join(staging, name), join(target, name));
      } finally {
        await rm(staging, { recursive: true, force: true });
      }
      console.log(
        `exported model ${grid.meta.modelId} (${grid.meta.symbol}) to ${target}: ${files.size} files`,
      );
    });
  },
);

function summaryJson(m: ModelSummary) {
  return {
    model_id: m.modelId,
    symbol: m.symbol,
    source: m.source,
    synthetic: m.synthetic,
    from: m.from === null ? null : new Date(m.from).toISOString(),
    to: m.to === null ? null : new Date(m.to).toISOString(),
    rows_used: m.rowsUsed,
    built_at: new Date(m.builtAt).toISOString(),
    weighting: m.weighting,
    active: m.active,
  };
}

export const modelList = userErrors(async (options: { symbol?: SymbolId; json?: boolean }) => {
  await withStore(async ({ database }) => {
    const models = await listModels(database.db, options.symbol ? { symbol: options.symbol } : {});
    if (options.json) {
      console.log(JSON.stringify(models.map(summaryJson), null, 2));
      return;
    }
    if (models.length === 0) {
      console.log(
        'no models (build one with `recio model build` or import one with `recio model import-v2`)',
      );
      return;
    }
    const rows = models.map((m) => [
      m.active ? '*' : ' ',
      m.modelId,
      m.symbol,
      m.synthetic ? `${m.source} (SYNTHETIC)` : m.source,
      `${iso(m.from)} … ${iso(m.to)}`,
      m.rowsUsed === null ? '—' : m.rowsUsed.toLocaleString('en-US'),
      describeWeighting(m.weighting),
      iso(m.builtAt),
    ]);
    const header = [' ', 'model', 'symbol', 'source', 'candles', 'rows', 'weighting', 'built'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    for (const row of [header, ...rows])
      console.log(
        row
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      );
  });
});

export const modelActivate = userErrors(async (modelId: string) => {
  await withStore(async ({ database }) => {
    const summary = await activateModel(database.db, modelId);
    console.log(
      `model ${summary.modelId} is now the active ${summary.symbol} model${summary.synthetic ? ' (SYNTHETIC)' : ''}`,
    );
  });
});

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

export const modelQuery = userErrors(
  async (options: {
    symbol: SymbolId;
    price: number;
    strike: number;
    ttc: number;
    bucket: number | 'baseline';
    model?: string;
    settle: Settlement;
  }) => {
    await withStore(async ({ database }) => {
      const grid = options.model
        ? await loadModel(database.db, options.model)
        : await loadActiveModel(database.db, options.symbol);
      if (!grid) {
        throw new CliUsageError(
          `no active ${options.symbol} model: build or import one with --activate, or \`recio model activate <id>\``,
        );
      }
      if (grid.meta.symbol !== options.symbol) {
        throw new CliUsageError(
          `model ${grid.meta.modelId} is a ${grid.meta.symbol} model, not ${options.symbol}`,
        );
      }
      const result = strikeProbability({
        grid,
        price: options.price,
        strike: options.strike,
        ttcSeconds: options.ttc,
        bucket: options.bucket,
        settle: options.settle,
      });
      console.log(
        JSON.stringify({
          up: round4(result.up),
          down: round4(result.down),
          active_side: result.activeSide,
          probability: round4(result.probability),
          model_id: grid.meta.modelId,
          settle: options.settle,
        }),
      );
    });
  },
);
