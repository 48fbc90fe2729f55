import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { FileRejectedError } from './file-rejected-error';
import {
  applyPowerOfTen,
  decodeDstRule,
  ESPI_UOM,
  espiCostToCurrency,
  qualityFromCodes,
  type LocalTimeParameters,
} from './espi';

/**
 * Green Button (ESPI Atom) feeds → series. Hrefs link UsagePoint → MeterReading →
 * IntervalBlock and MeterReading → ReadingType; real feeds break those links (redacted ids,
 * missing links), so each link falls back to document order: a block belongs to the
 * MeterReading before it, a MeterReading to the ReadingType right after it (else before
 * it), and to the UsagePoint before it.
 */
export interface GreenButtonReading {
  /** 1-based ordinal of the reading in the series (used as its "line") */
  ordinal: number;
  startSeconds: number;
  durationSeconds: number;
  /** value × 10^powerOfTenMultiplier, in the series' unit (NaN when empty or not a finite number) */
  value: number;
  /** the value as written when it is there but not a finite number (`1e309`, `INF`, `abc`) */
  valueText?: string;
  /** in currency units (ESPI cost / 100 000) */
  cost?: number;
  quality: 'measured' | 'estimated';
}

export interface GreenButtonSeries {
  /** stable id within the feed: 'UsagePoint/<id>/MeterReading/<id>' or the MeterReading's position */
  id: string;
  usagePointTitle?: string;
  title?: string;
  /** ESPI ServiceKind: 0 electricity, 1 gas, 2 water, 4 heat; null when not stated */
  serviceKind: number | null;
  /** 1 delivered (import), 19 received (export), 4 net, 20 total; null when not stated */
  flowDirection: number | null;
  uom: number | null;
  /** the uom as a units.ts unit ('Wh', 'therm', 'm3', 'ft3', 'W', 'Btu'), null if unknown */
  unit: string | null;
  powerOfTenMultiplier: number;
  accumulationBehaviour: number | null;
  intervalLengthSeconds: number | null;
  /** ISO 4217 numeric (840 = USD) */
  currency: number | null;
  readings: GreenButtonReading[];
}

export interface GreenButtonFeed {
  series: GreenButtonSeries[];
  localTime: LocalTimeParameters | null;
}

type Node = Record<string, unknown>;

const ARRAYS = new Set(['entry', 'link', 'IntervalBlock', 'IntervalReading', 'ReadingQuality']);

function text(x: unknown): string {
  if (x === undefined || x === null) return '';
  if (typeof x === 'string') return x.trim();
  if (typeof x === 'number') return String(x);
  if (typeof x === 'object' && '#text' in (x as Node)) return text((x as Node)['#text']);
  return '';
}

function num(x: unknown): number | null {
  const t = text(x);
  if (t === '') return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

function asArray(x: unknown): Node[] {
  if (x === undefined || x === null || x === '') return [];
  return (Array.isArray(x) ? x : [x]).filter((v): v is Node => typeof v === 'object' && v !== null);
}

/** 'https://host/espi/1_1/resource/Subscription/X/UsagePoint/1/MeterReading/2' → 'UsagePoint/1/MeterReading/2' */
function keyFrom(href: string, kind: 'UsagePoint' | 'ReadingType' | 'LocalTimeParameters'): string | null {
  const i = href.indexOf(`${kind}/`);
  if (i === -1) return null;
  return href.slice(i).replace(/\/+$/, '');
}

interface Entry {
  index: number;
  links: { rel: string; href: string }[];
  title: string;
  content: Node;
}

/** The feed's entries; refuses XML that is not well-formed and a document without <feed> or <entry>. */
function parseEntries(xml: string): Entry[] {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new FileRejectedError(
      'INVALID_XML',
      `the XML is not well-formed: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`,
    );
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    parseTagValue: false,
    isArray: (name) => ARRAYS.has(name),
  });
  const root = parser.parse(xml) as Node;
  const feed = root.feed as Node | undefined;
  const rawEntries = feed ? asArray(feed.entry) : asArray(root.entry);
  if (rawEntries.length === 0) {
    throw new FileRejectedError(
      'UNSUPPORTED_FORMAT',
      'the XML is not a Green Button (ESPI Atom) feed: it has no <feed> or <entry>',
    );
  }
  return rawEntries.map((e, index) => ({
    index,
    links: asArray(e.link).map((l) => ({ rel: String(l['@_rel'] ?? ''), href: String(l['@_href'] ?? '') })),
    title: text(e.title),
    content: (typeof e.content === 'object' && e.content !== null ? e.content : {}) as Node,
  }));
}

const has = (e: Entry, k: string): boolean => k in e.content;
const self = (e: Entry): string => e.links.find((l) => l.rel === 'self')?.href ?? '';

/** The last entry of `list` before position `index` in the feed. */
function before<T extends Entry>(list: T[], index: number): T | undefined {
  let found: T | undefined;
  for (const e of list) if (e.index < index) found = e;
  return found;
}

/** The MeterReading an href names ('UsagePoint/1/MeterReading/2'), or null. */
function mrKey(href: string): string | null {
  const k = keyFrom(href, 'UsagePoint');
  if (k === null) return null;
  const m = /^(UsagePoint\/[^/]+\/MeterReading\/[^/]+)/.exec(k);
  return m ? m[1] : null;
}

function localTimeOf(ltp: Entry | undefined): LocalTimeParameters | null {
  if (!ltp) return null;
  const p = ltp.content.LocalTimeParameters as Node;
  return {
    tzOffsetSeconds: num(p.tzOffset) ?? 0,
    dstOffsetSeconds: num(p.dstOffset) ?? 0,
    dstStart: text(p.dstStartRule) ? decodeDstRule(text(p.dstStartRule)) : null,
    dstEnd: text(p.dstEndRule) ? decodeDstRule(text(p.dstEndRule)) : null,
  };
}

/** Refuses a feed without readings, or whose readings have no MeterReading or ReadingType to say what they are. */
function checkFeedParts(blocks: Entry[], meterReadings: Entry[], readingTypes: Entry[]): void {
  if (blocks.length === 0)
    throw new FileRejectedError(
      'NO_SERIES',
      'the Green Button feed has no IntervalBlock: there are no readings in it',
    );
  if (meterReadings.length === 0)
    throw new FileRejectedError(
      'BROKEN_FEED',
      'the Green Button feed has interval blocks but no MeterReading to say what they measure',
    );
  if (readingTypes.length === 0) {
    const wanted = meterReadings.flatMap((m) =>
      m.links.filter((l) => l.href.includes('ReadingType')).map((l) => keyFrom(l.href, 'ReadingType')),
    );
    throw new FileRejectedError(
      'BROKEN_FEED',
      `the Green Button feed has no ReadingType${wanted.length ? ` (its MeterReading links to ${wanted.join(', ')}, which is not in the file)` : ''}: the unit and multiplier of its values are unknown, so nothing can be imported`,
    );
  }
}

/** The feed's entries by kind, and the MeterReading each key names when exactly one does. */
class FeedIndex {
  readonly usagePoints: Entry[];
  readonly meterReadings: Entry[];
  readonly readingTypes: Entry[];
  readonly mrKeys: (string | null)[];

  constructor(entries: Entry[]) {
    this.usagePoints = entries.filter((e) => has(e, 'UsagePoint'));
    this.meterReadings = entries.filter((e) => has(e, 'MeterReading'));
    this.readingTypes = entries.filter((e) => has(e, 'ReadingType'));
    this.mrKeys = this.meterReadings.map((m) => mrKey(self(m)));
  }

  uniqueMr(key: string | null): Entry | undefined {
    if (key === null) return undefined;
    const hits = this.meterReadings.filter((_, i) => this.mrKeys[i] === key);
    return hits.length === 1 ? hits[0] : undefined;
  }

  /** ReadingType of MeterReading i: by link when unique, else the one right after the MeterReading, else before it. */
  readingType(mr: Entry, i: number): Entry {
    const nextMr = this.meterReadings[i + 1]?.index ?? Number.POSITIVE_INFINITY;
    const linked = mr.links
      .filter((l) => l.rel === 'related' && l.href.includes('ReadingType/'))
      .map((l) => keyFrom(l.href, 'ReadingType'))
      .map((k) => this.readingTypes.filter((rt) => keyFrom(self(rt), 'ReadingType') === k))
      .find((hits) => hits.length === 1)?.[0];
    return (
      linked ??
      this.readingTypes.find((r) => r.index > mr.index && r.index < nextMr) ??
      before(this.readingTypes, mr.index) ??
      this.readingTypes[0]
    );
  }

  /** UsagePoint of MeterReading i: by href, else the one before. */
  usagePoint(mr: Entry, i: number): Entry | undefined {
    const upKey = this.mrKeys[i]?.replace(/\/MeterReading\/.*$/, '');
    const upHits = upKey ? this.usagePoints.filter((u) => keyFrom(self(u), 'UsagePoint') === upKey) : [];
    return upHits.length === 1
      ? upHits[0]
      : (before(this.usagePoints, mr.index) ??
          (this.usagePoints.length === 1 ? this.usagePoints[0] : undefined));
  }

  /** The series (no readings yet) of MeterReading i: what its ReadingType and UsagePoint say. */
  series(mr: Entry, i: number): GreenButtonSeries {
    const rt = this.readingType(mr, i);
    const t = rt.content.ReadingType as Node;
    const up = this.usagePoint(mr, i);
    const upNode = up ? (up.content.UsagePoint as Node) : undefined;
    const sc =
      upNode && typeof upNode.ServiceCategory === 'object' ? (upNode.ServiceCategory as Node) : undefined;
    const uom = num(t.uom);
    const key = this.mrKeys[i];
    return {
      id: key && this.uniqueMr(key) ? key : `MeterReading#${i + 1}`,
      usagePointTitle: up?.title || undefined,
      title: mr.title || rt.title || undefined,
      serviceKind: sc ? num(sc.kind) : null,
      flowDirection: num(t.flowDirection),
      uom,
      unit: uom === null ? null : (ESPI_UOM[uom] ?? null),
      powerOfTenMultiplier: num(t.powerOfTenMultiplier) ?? 0,
      accumulationBehaviour: num(t.accumulationBehaviour),
      intervalLengthSeconds: num(t.intervalLength),
      currency: num(t.currency),
      readings: [],
    };
  }

  /** The MeterReading an IntervalBlock belongs to: by href when it names exactly one, else the one before. */
  blockOwner(b: Entry): Entry {
    const href =
      b.links.find((l) => l.rel === 'self')?.href ?? b.links.find((l) => l.rel === 'up')?.href ?? '';
    return this.uniqueMr(mrKey(href)) ?? before(this.meterReadings, b.index) ?? this.meterReadings[0];
  }
}

/** Appends an IntervalBlock entry's readings to its series. */
function addBlockReadings(b: Entry, s: GreenButtonSeries): void {
  for (const block of asArray(b.content.IntervalBlock)) {
    for (const r of asArray(block.IntervalReading)) {
      const tp = (typeof r.timePeriod === 'object' ? r.timePeriod : {}) as Node;
      const start = num(tp.start);
      const duration = num(tp.duration);
      const value = num(r.value);
      const written = text(r.value);
      const cost = num(r.cost);
      const codes = asArray(r.ReadingQuality)
        .map((q) => num(q.quality))
        .filter((q): q is number => q !== null);
      s.readings.push({
        ordinal: s.readings.length + 1,
        startSeconds: start ?? Number.NaN,
        durationSeconds: duration ?? Number.NaN,
        value: value === null ? Number.NaN : applyPowerOfTen(value, s.powerOfTenMultiplier),
        ...(value === null && written !== '' ? { valueText: written } : {}),
        ...(cost !== null ? { cost: espiCostToCurrency(cost) } : {}),
        quality: qualityFromCodes(codes),
      });
    }
  }
}

/** Refuses a series with readings but no unit, or whose readings all start at the same instant. */
function checkSeries(s: GreenButtonSeries): void {
  if (s.readings.length > 0 && s.uom === null) {
    throw new FileRejectedError(
      'BROKEN_FEED',
      `the ReadingType of series ${s.id} states no unit of measure (uom is missing or empty): the unit and multiplier of its values are unknown, so nothing can be imported`,
    );
  }
  // a feed whose readings all start at the same instant is an export bug, not data
  if (s.readings.length > 1 && s.readings.every((r) => r.startSeconds === s.readings[0].startSeconds)) {
    throw new FileRejectedError(
      'BROKEN_FEED',
      `all ${s.readings.length} readings of series ${s.id} start at the same instant (${new Date(s.readings[0].startSeconds * 1000).toISOString()}): the export is broken`,
    );
  }
}

export function parseGreenButton(xml: string): GreenButtonFeed {
  const entries = parseEntries(xml);
  const index = new FeedIndex(entries);
  const blocks = entries.filter((e) => has(e, 'IntervalBlock'));
  const localTime = localTimeOf(entries.find((e) => has(e, 'LocalTimeParameters')));
  checkFeedParts(blocks, index.meterReadings, index.readingTypes);
  const series = index.meterReadings.map((mr, i) => index.series(mr, i));
  for (const b of blocks) addBlockReadings(b, series[index.meterReadings.indexOf(index.blockOwner(b))]);
  for (const s of series) checkSeries(s);
  return { series: series.filter((s) => s.readings.length > 0), localTime };
}

/** One line describing a series, for messages listing the choices. */
export function describeSeries(s: GreenButtonSeries): string {
  const service =
    s.serviceKind === null
      ? 'unknown service'
      : (['electricity', 'gas', 'water', 'time', 'heat'][s.serviceKind] ?? `service kind ${s.serviceKind}`);
  const flow =
    s.flowDirection === 1
      ? 'delivered'
      : s.flowDirection === 19
        ? 'received (export)'
        : s.flowDirection === 4
          ? 'net'
          : s.flowDirection === 20
            ? 'total'
            : 'direction not stated';
  return `${s.id} (${service}, ${flow}, ${s.unit ?? `uom ${s.uom}`}, ${s.readings.length} readings${s.title ? `, "${s.title}"` : ''})`;
}
