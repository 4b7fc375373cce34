export declare const LAB_LOCK: string;
export declare function runUnderLabLock(
  name: string,
  scriptUrl: string,
  opts?: { tsx?: boolean; env?: Record<string, string> },
): number | undefined;
