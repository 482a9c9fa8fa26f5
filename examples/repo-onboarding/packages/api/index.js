export const api = true;
