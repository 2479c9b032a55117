import { type CallSettings } from './http.js';
/**
 * Exchanges a VDK API token, an OAuth2 refresh token, for an access token
 * at the authorization server, as VDK's own clients do. The access token is
 * masked before it is returned. Throws CheckFailedError when the server
 * refuses or answers something else than a token.
 */
export declare function exchangeApiToken(authorizationUrl: URL, apiToken: string, call: CallSettings): Promise<string>;
