/** Types of the stand-in for tunnel: see tunnel.cjs beside this file. */
import type { Agent } from 'node:http';

type TunnelOptions = Record<string, unknown>;

export declare function httpOverHttp(options: TunnelOptions): Agent;
export declare function httpsOverHttp(options: TunnelOptions): Agent;
export declare function httpOverHttps(options: TunnelOptions): Agent;
export declare function httpsOverHttps(options: TunnelOptions): Agent;
