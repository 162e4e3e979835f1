/**
 * A section's blocks (the engine's safe structure) as React elements: there is no HTML to
 * inject, so nothing a section says can become script. Links to other sections stay in the
 * reader; web links open in a new tab without telling the site where the reader came from.
 */
import type { HandbookBlockNode, HandbookInlineNode } from '@kalaja/contracts';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

export function Inline({ nodes }: { nodes: readonly HandbookInlineNode[] | undefined }): ReactNode {
  return (nodes ?? []).map((n, i) => {
    switch (n.t) {
      case 'text':
        return n.text;
      case 'strong':
        return (
          <strong key={i}>
            <Inline nodes={n.children} />
          </strong>
        );
      case 'em':
        return (
          <em key={i}>
            <Inline nodes={n.children} />
          </em>
        );
      case 'code':
        return <code key={i}>{n.text}</code>;
      case 'break':
        return <br key={i} />;
      case 'section':
        return (
          <Link key={i} to={`/handbook/${encodeURIComponent(n.id ?? '')}`}>
            <Inline nodes={n.children} />
          </Link>
        );
      case 'link':
        return (
          <a key={i} href={n.href} target="_blank" rel="noopener noreferrer">
            <Inline nodes={n.children} />
          </a>
        );
    }
  });
}

export function Blocks({ blocks }: { blocks: readonly HandbookBlockNode[] | undefined }): ReactNode {
  return (blocks ?? []).map((b, i) => <Block key={i} block={b} />);
}

function Block({ block: b }: { block: HandbookBlockNode }): ReactNode {
  switch (b.t) {
    case 'heading': {
      const H = b.level === 2 ? 'h2' : b.level === 3 ? 'h3' : 'h4';
      return (
        <H id={b.anchor}>
          <Inline nodes={b.children} />
        </H>
      );
    }
    case 'paragraph':
      return (
        <p>
          <Inline nodes={b.children} />
        </p>
      );
    case 'list': {
      const items = (b.items ?? []).map((item, i) => (
        <li key={i}>
          {item.length === 1 && item[0]!.t === 'paragraph' ? (
            <Inline nodes={item[0]!.children} />
          ) : (
            <Blocks blocks={item} />
          )}
        </li>
      ));
      return b.ordered ? <ol start={b.start}>{items}</ol> : <ul>{items}</ul>;
    }
    case 'quote':
      return (
        <blockquote>
          <Blocks blocks={b.blocks} />
        </blockquote>
      );
    case 'code':
      return (
        <pre>
          <code>{b.text}</code>
        </pre>
      );
    case 'table':
      return (
        <div className="handbook-table">
          <table>
            <thead>
              <tr>
                {(b.head ?? []).map((h, i) => (
                  <th key={i} scope="col">
                    <Inline nodes={h} />
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {(b.rows ?? []).map((r, i) => (
                <tr key={i}>
                  {r.map((c, j) => (
                    <td key={j}>
                      <Inline nodes={c} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    case 'rule':
      return <hr />;
  }
}
