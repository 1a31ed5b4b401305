/**
 * NodeCard: what the box of one component shows and where, relative to the box's top-left
 * corner. The layout sizes boxes and places ports from it; the SVG writer draws it.
 *
 * ```
 *   ┌──────────────────────────────┐
 *   │ ✖ total                      │   title: marker + id (bold)
 *   │ Reformat                     │   type
 *   ├──────────────────────────────┤
 * ■─┤ in                       out ├─■ one row per port index; ports sit outside the sides
 *   │                        error ├─■
 *   │ ERROR · 1.2 s                │   status line (when there is one)
 *   │ ⚠ $in[0].amount is not a n…  │   problem (truncated; the full text is in the tooltip)
 *   └──────────────────────────────┘
 * ```
 */
import { failureMarker, isFailedNode, statusLine } from './label-text.ts';
import { measureText, truncateText } from './measure-text.ts';
import type { RenderPort } from './render-model.ts';
import type { ResolvedNode } from './resolve-render-model.ts';

/** Font sizes (px) of the lines of a card. */
export const CARD_FONT = { title: 13, type: 11, port: 11, status: 11 } as const;

/** Side length (px) of the square drawn for a port, outside the box edge. */
export const PORT_SIZE = 8;

const PADDING_X = 10;
const TITLE_BASELINE = 19;
const TYPE_BASELINE = 34;
const DIVIDER_Y = 42;
const ROW_HEIGHT = 18;
const FIRST_ROW_CENTER = DIVIDER_Y + 4 + ROW_HEIGHT / 2;
const LINE_HEIGHT = 15;
const BOTTOM_PADDING = 9;
const MIN_WIDTH = 128;
const PORT_NAME_GAP = 24;
const MAX_PROBLEM_WIDTH = 240;
/** Text baseline sits this far below a row's centre, for 11px text. */
const BASELINE_BELOW_CENTER = 4;

/** A port on a card: `y` is the port's centre, relative to the box top. */
export interface CardPort {
  port: RenderPort;
  y: number;
}

/** A line of text on a card; `y` is its baseline, relative to the box top. */
export interface CardLine {
  text: string;
  y: number;
}

/** Everything drawn inside (and on the sides of) one component box. */
export interface NodeCard {
  resolved: ResolvedNode;
  width: number;
  height: number;
  /** Left padding (px) of text lines; right-aligned port names end at `width - paddingX`. */
  paddingX: number;
  /** Marker drawn before the id (`✖`, `⚠`), or `""`; `title` holds the id alone. */
  marker: string;
  title: CardLine;
  type: CardLine;
  /** Y of the line between the header and the port rows, or null when the node has no ports. */
  dividerY: number | null;
  inputs: readonly CardPort[];
  outputs: readonly CardPort[];
  /** `"FINISHED_OK · 1.2 s"`, `"disabled"`…, or null. */
  status: CardLine | null;
  /** The problem text as it fits on the card, or null. */
  problem: CardLine | null;
  /** Baseline offset from a port's centre to its name's baseline. */
  portNameBaselineOffset: number;
}

/** Builds the card of one node: its size, its port positions and its lines of text. */
export function buildNodeCard(resolved: ResolvedNode): NodeCard {
  const { node, inputs, outputs } = resolved;
  const marker = failureMarker(node);
  const rows = Math.max(inputs.length, outputs.length);
  const status = statusLine(node);
  const problemText = isFailedNode(node) && node.problem !== undefined && node.problem !== '' ? `${marker} ${node.problem}` : '';

  const widestInput = Math.max(0, ...inputs.map((port) => measureText(port.name, CARD_FONT.port)));
  const widestOutput = Math.max(0, ...outputs.map((port) => measureText(port.name, CARD_FONT.port)));
  const contentWidth = Math.max(
    MIN_WIDTH - 2 * PADDING_X,
    measureText(marker === '' ? node.id : `${marker} ${node.id}`, CARD_FONT.title, true),
    measureText(node.type, CARD_FONT.type),
    widestInput + widestOutput + (widestInput > 0 && widestOutput > 0 ? PORT_NAME_GAP : 0),
    measureText(status, CARD_FONT.status),
    Math.min(measureText(problemText, CARD_FONT.status), MAX_PROBLEM_WIDTH),
  );
  const width = Math.ceil(contentWidth + 2 * PADDING_X);

  let bottom = rows > 0 ? DIVIDER_Y + 4 + rows * ROW_HEIGHT : DIVIDER_Y - 4;
  const place = (text: string): CardLine | null => {
    if (text === '') return null;
    bottom += LINE_HEIGHT;
    return { text, y: bottom - 3 };
  };
  const statusCard = place(status);
  const problemCard = place(truncateText(problemText, CARD_FONT.status, width - 2 * PADDING_X));
  const height = Math.ceil(bottom + BOTTOM_PADDING);

  const portsAt = (ports: readonly RenderPort[]): CardPort[] =>
    ports.map((port, row) => ({ port, y: FIRST_ROW_CENTER + row * ROW_HEIGHT }));

  return {
    resolved,
    width,
    height,
    paddingX: PADDING_X,
    marker,
    title: { text: node.id, y: TITLE_BASELINE },
    type: { text: node.type, y: TYPE_BASELINE },
    dividerY: rows > 0 ? DIVIDER_Y : null,
    inputs: portsAt(inputs),
    outputs: portsAt(outputs),
    status: statusCard,
    problem: problemCard,
    portNameBaselineOffset: BASELINE_BELOW_CENTER,
  };
}
