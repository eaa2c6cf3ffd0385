import { ApiError } from '../../../shared/api/errors';

export const DATASET_PAGE = (endpoint: string, repo: string) => `${endpoint.replace(/\/+$/, '')}/datasets/${repo}`;

/** Turns a Hub answer into an error the user can act on; the URL is always named, the token never. */
export function hubError(response: Response, url: string, repo: string, endpoint: string, hadToken: boolean): ApiError {
  const code = response.headers.get('x-error-code');
  const detail = response.headers.get('x-error-message');
  const page = DATASET_PAGE(endpoint, repo);
  switch (response.status) {
    case 401:
      return new ApiError(
        'HUB_AUTH_REQUIRED',
        hadToken
          ? `${url}: the Hugging Face token was refused (401). It may be mistyped, revoked or expired: create a new read token at ${endpoint.replace(/\/+$/, '')}/settings/tokens and save it in Settings (or HF_TOKEN).`
          : `${url}: ${repo} is a gated dataset and needs a Hugging Face token (401). Accept its terms at ${page}, create a read token at ${endpoint.replace(/\/+$/, '')}/settings/tokens, and save it in Settings (or set HF_TOKEN).`,
      );
    case 403:
      return new ApiError(
        'HUB_TERMS_NOT_ACCEPTED',
        `${url}: your token is valid but this account has not been granted access to ${repo} (403${code ? ` ${code}` : ''}). Open ${page}, sign in with the same account, accept the dataset's conditions, then try again.`,
      );
    case 404:
      return new ApiError(
        'HUB_NOT_FOUND',
        `${url}: not found on the Hub (404${code ? ` ${code}` : ''}${detail ? `: ${detail}` : ''}). Check the revision and the endpoint (${endpoint}).`,
      );
    case 429:
      return new ApiError('HUB_RATE_LIMITED', `${url}: the Hub is rate-limiting requests (429); retrying after the pause it asked for.`);
    default:
      return new ApiError('HUB_UNAVAILABLE', `${url}: the Hub answered ${response.status} ${response.statusText}${detail ? ` (${detail})` : ''}; will retry.`);
  }
}
