import { memo } from 'react';
import type { Side, StrikeRow, StrikesPayload } from '../live/protocol.ts';
import {
  formatBuffer,
  formatPrice,
  formatProbability,
  formatScore,
  formatStrike,
  formatVolume,
  formatCents,
} from '../lib/format.ts';
import { momentumArrows, probabilityBand, quoteCell, selectLadder } from '../lib/ladder.ts';
import type { Layout } from '../lib/layout.ts';

interface LadderProps {
  strikes: StrikesPayload;
  showDiff: boolean;
  layout: Layout;
}

/** The strike ladder: 7 strikes above the price, the Current Price row, 7 below. Read-only. */
export const Ladder = memo(function Ladder({ strikes, showDiff, layout }: LadderProps) {
  const { table } = strikes;
  const { above, below } = selectLadder(table.rows, table.price);
  const full = layout === 'desktop';
  const quote = showDiff ? 'diff' : 'ask';
  const columns = full ? 9 : 5;
  return (
    <table className="ladder" data-testid="ladder" data-mode={quote}>
      <colgroup>
        <col className="c-strike" />
        <col className="c-buffer" />
        {full && <col className="c-pct" />}
        <col className="c-prob" />
        {full && <col className="c-quote" />}
        <col className="c-quote" />
        {full && <col className="c-quote" />}
        <col className="c-quote" />
        {full && <col className="c-volume" />}
      </colgroup>
      <thead>
        <tr>
          <th>Strike</th>
          <th>Buffer</th>
          {full && <th>%</th>}
          <th>Prob</th>
          {full && <th>YES bid</th>}
          <th data-testid="yes-quote-header">YES {quote}</th>
          {full && <th>NO bid</th>}
          <th data-testid="no-quote-header">NO {quote}</th>
          {full && <th>Volume</th>}
        </tr>
      </thead>
      <tbody>
        {above.map((row) => (
          <LadderRow key={row.ticker} row={row} showDiff={showDiff} full={full} />
        ))}
        <CurrentPriceRow price={table.price} score={table.momentum_score} columns={columns} />
        {below.map((row) => (
          <LadderRow key={row.ticker} row={row} showDiff={showDiff} full={full} />
        ))}
      </tbody>
    </table>
  );
});

function LadderRow({ row, showDiff, full }: { row: StrikeRow; showDiff: boolean; full: boolean }) {
  const band = probabilityBand(row.probability);
  return (
    <tr
      className={`strike-row ${band}`}
      data-testid="strike-row"
      data-strike={row.strike}
      data-side={row.active_side}
    >
      <td className="strike">{formatStrike(row.strike)}</td>
      <td className="num">{formatBuffer(row.buffer, !full)}</td>
      {full && <td className="num dim">{row.buffer_pct.toFixed(2)}</td>}
      <td className="num prob" data-testid="probability">
        {formatProbability(row.probability)}
        <span className={`side-tag side-${row.active_side}`}>{row.active_side.toUpperCase()}</span>
      </td>
      {full && <td className="num dim">{formatCents(row.yes_bid)}</td>}
      <QuoteTd row={row} side="yes" showDiff={showDiff} />
      {full && <td className="num dim">{formatCents(row.no_bid)}</td>}
      <QuoteTd row={row} side="no" showDiff={showDiff} />
      {full && <td className="num dim">{formatVolume(row.volume)}</td>}
    </tr>
  );
}

function QuoteTd({ row, side, showDiff }: { row: StrikeRow; side: Side; showDiff: boolean }) {
  const cell = quoteCell(row, side, showDiff);
  return (
    <td
      className={`num quote ${cell.kind} tone-${cell.tone}${cell.active ? ' active' : ''}`}
      data-testid={`${side}-${cell.kind}`}
    >
      {cell.text}
    </td>
  );
}

function CurrentPriceRow({
  price,
  score,
  columns,
}: {
  price: number;
  score: number | null;
  columns: number;
}) {
  const arrows = momentumArrows(score);
  const glyph = arrows.direction === 'down' ? '▼' : '▲';
  const arrowText = arrows.count === 0 ? '–' : glyph.repeat(arrows.count);
  const title = `momentum ${formatScore(score)} bps`;
  return (
    <tr className="current-price-row" data-testid="current-price-row" data-price={price}>
      <td colSpan={columns}>
        <span
          className={`arrows ${arrows.direction}`}
          data-testid="momentum-arrows"
          data-count={arrows.count}
        >
          {arrowText}
        </span>
        <span className="cp-label">Current Price</span>
        <span className="cp-price" data-testid="current-price">
          {formatPrice(price)}
        </span>
        <span className={`arrows ${arrows.direction}`} aria-hidden="true">
          {arrowText}
        </span>
        <span className={`score ${arrows.direction}`} title={title} data-testid="momentum-score">
          {formatScore(score)}
        </span>
      </td>
    </tr>
  );
}
