import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { root } from './walkthrough-support';

// Sections move between the README and docs/: a link left pointing at where one was is caught here.

const DOCUMENTS = ['README.md', ...readdirSync(join(root, 'docs')).map((name) => `docs/${name}`)].filter((path) =>
  path.endsWith('.md'),
);

/** The text outside fenced code blocks, where `#` starts a comment and `](` is code. */
const prose = (markdown: string): string => markdown.replace(/^```[\s\S]*?^```$/gm, '');

/** A heading's anchor as GitHub makes it: lower case, punctuation but `-` and `_` dropped, spaces to `-`. */
const anchorOf = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/ /g, '-');

const anchorsOf = (path: string): string[] =>
  [...prose(readFileSync(join(root, path), 'utf8')).matchAll(/^#{1,6} (.+)$/gm)].map(([, text = '']) => anchorOf(text));

/** Every link of a document to a file of this repository or an anchor, as `target#anchor`. */
const localLinks = (path: string): { target: string; anchor: string }[] =>
  [...prose(readFileSync(join(root, path), 'utf8')).matchAll(/\]\(([^)\s]+)\)/g)]
    .map(([, link = '']) => link)
    .filter((link) => !/^[a-z]+:/.test(link))
    .map((link) => {
      const [file = '', anchor = ''] = link.split('#');
      return { target: file === '' ? path : relative(root, join(root, dirname(path), file)), anchor };
    });

describe('links between the README and docs/', () => {
  it('computes anchors as GitHub does', () => {
    expect(anchorOf('More in `docs/`')).toBe('more-in-docs');
    expect(anchorOf("The discoverer's managed rule (`DiscovererManagedRules`)")).toBe(
      'the-discoverers-managed-rule-discoverermanagedrules',
    );
  });

  it.each(DOCUMENTS)('%s links only to files and headings that exist', (path) => {
    // Act
    const broken = localLinks(path).filter(
      ({ target, anchor }) => !existsSync(join(root, target)) || (anchor !== '' && !anchorsOf(target).includes(anchor)),
    );

    // Assess
    expect(broken).toEqual([]);
  });
});
