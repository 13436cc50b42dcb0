/**
 * One line chart of the Overview: a title, the chart rows on a time axis, and a line per series.
 * Colours are fixed mid-tones that read on both themes; axes, grid and tooltip take the theme's
 * colours from styles.css. `data-points` carries the number of rows, so tests (and curious users
 * in the inspector) can tell an empty chart from one with data.
 */
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartRow } from './chartRows.js';

export interface ChartSeries {
  name: string;
  colour: string;
  value(row: ChartRow): number | null;
}

export interface MetricChartProps {
  title: string;
  rows: readonly ChartRow[];
  series: readonly ChartSeries[];
  /** The time axis: the range's start and end, epoch ms. */
  domain: [number, number];
  /** Shown after values in the tooltip, e.g. ` ms`. */
  unit?: string;
}

const timeOfDay = (at: number) => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
const dateAndTime = (at: number) => new Date(at).toLocaleString();

/** A palette that keeps enough contrast on white and on near-black. */
export const chartColours = ['#2f81f7', '#e5534b', '#3fb950', '#d29922', '#a371f7', '#db61a2', '#39c5cf', '#8b949e'];

export function MetricChart({ title, rows, series, domain, unit = '' }: MetricChartProps) {
  return (
    <section className="metric-chart" aria-label={title} data-points={rows.length}>
      <h2>{title}</h2>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={rows as ChartRow[]} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="at" type="number" scale="time" domain={domain} tickFormatter={timeOfDay} minTickGap={40} />
          <YAxis allowDecimals={false} width={56} />
          <Tooltip
            labelFormatter={(at) => dateAndTime(Number(at))}
            formatter={(value) => `${String(value)}${unit}`}
            contentStyle={{ background: 'var(--background)', borderColor: 'var(--border)', color: 'var(--text)' }}
          />
          <Legend />
          {series.map((line) => (
            <Line
              key={line.name}
              name={line.name}
              dataKey={line.value}
              stroke={line.colour}
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
              connectNulls
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </section>
  );
}
