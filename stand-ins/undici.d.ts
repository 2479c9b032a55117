/** Types of the stand-in for undici: see undici.js beside this file. */
export declare class ProxyAgent {
  constructor();
}
