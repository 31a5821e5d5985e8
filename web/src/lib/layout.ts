/** Desktop or phone layout: `?mobile` / `?desktop` in the address win, else the screen's width. */
export type Layout = 'desktop' | 'mobile';

export const NARROW_QUERY = '(max-width: 720px)';

export function chooseLayout(search: string, narrow: boolean): Layout {
  const params = new URLSearchParams(search);
  if (params.has('mobile')) return 'mobile';
  if (params.has('desktop')) return 'desktop';
  return narrow ? 'mobile' : 'desktop';
}
