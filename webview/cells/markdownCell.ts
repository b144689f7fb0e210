// A markdown cell: markdown-it with raw HTML off, then DOMPurify for good measure.
import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';
import type { PanelCellState } from '../../core/view';
import { el } from '../dom';
import type { CellBody } from './cellBody';

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: true });

export class MarkdownCellView implements CellBody {
  readonly root = el('div', { class: 'markdown-body' });
  private text: string | null = null;

  update(cell: PanelCellState): void {
    const r = cell.result;
    if (!r?.ok || r.type !== 'markdown' || r.text === this.text) return;
    this.text = r.text;
    this.root.innerHTML = DOMPurify.sanitize(markdown.render(r.text));
  }

  destroy(): void {}
}
