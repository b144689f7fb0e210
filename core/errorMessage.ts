/** The message of anything thrown: an Error's message, else the thrown value as text (a rejected promise may carry anything). */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
