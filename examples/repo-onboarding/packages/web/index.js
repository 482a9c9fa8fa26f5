export const web = true;
