// What the desktop app adds (Tauri commands); in a browser these are absent
// and the screens offer only what a browser can do.

import { invoke, isTauri } from '@tauri-apps/api/core';

export const isDesktop = (): boolean => isTauri();

/** The native folder picker; null when cancelled or in a browser. */
export async function pickFolder(): Promise<string | null> {
  if (!isDesktop()) return null;
  return (await invoke<string | null>('pick_folder')) ?? null;
}

/** Leaves kiosk mode (the app quits) when the PIN is right. */
export async function leaveKiosk(pin: string): Promise<boolean> {
  if (!isDesktop()) return false;
  return invoke<boolean>('leave_kiosk', { pin });
}
