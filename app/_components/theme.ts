export const THEME_STORAGE_KEY = "portolan-theme";
