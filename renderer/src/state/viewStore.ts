/** Which view the console shows under the top bar; a plain switch, no router. */
import { create } from 'zustand';

export const views = ['Queues', 'Tasks'] as const;
export type View = (typeof views)[number];

interface ViewState {
  view: View;
  show(view: View): void;
}

export const useViewStore = create<ViewState>()((set) => ({
  view: 'Queues',
  show(view) {
    set({ view });
  },
}));
