// How much of a loss cell its view holds (core/scenario/lossView.ts builds it),
// and so what the panel can draw per class.

/** Up to this many classes the panel draws a column (or bar) per class. */
export const VIEW_MAX_CLASSES = 24;
/** Up to this many values (elements × classes) the view holds whole rows. */
export const VIEW_MAX_VALUES = 20_000;
/** Past that, each element's most probable classes, this many (a language model's likeliest next tokens). */
export const VIEW_TOP_K = 5;
