/**
 * The registered task types the palette offers, grouped by queue: the types workers announce
 * (`announcedTaskTypes`, the same the agent checks a saved workflow against). Queues and types
 * are sorted.
 */
import { announcedTaskTypes, type AnnouncingWorker } from '../../../../shared/workflows/announcedTaskTypes.js';

export type PaletteWorker = AnnouncingWorker;

export interface PaletteGroup {
  queue: string;
  types: string[];
}

export function paletteGroups(workers: readonly PaletteWorker[]): PaletteGroup[] {
  return [...announcedTaskTypes(workers).entries()]
    .sort(([left], [right]) => left.localeCompare(right))
    .map(([queue, types]) => ({ queue, types: [...types].sort((left, right) => left.localeCompare(right)) }));
}
