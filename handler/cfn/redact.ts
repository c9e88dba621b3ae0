// The ResponseURL is a pre-signed S3 URL: its query string is a credential, so it is never logged.
export const redactUrl = (url: string): string => {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}${parsed.search ? '?***' : ''}`;
  } catch {
    return '<unparseable url>';
  }
};

/** Removes any occurrence of the URL's query string from a text (an error message that quotes the URL). */
export const redactText = (text: string, url: string): string => {
  const query = url.indexOf('?');
  if (query < 0 || query === url.length - 1) return text;
  return text.split(url.slice(query + 1)).join('***');
};
