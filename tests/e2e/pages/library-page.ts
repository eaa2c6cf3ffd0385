import type { Page } from '@playwright/test';

/** Selectors of the Library screen in one place. */
export class LibraryPage {
  constructor(private readonly page: Page) {}

  heading() {
    return this.page.getByRole('heading', { level: 1, name: 'Library' });
  }

  openLibraryCard() {
    return this.page.getByRole('article', { name: 'Open library' });
  }

  async create(path: string): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Create a library' });
    await form.getByLabel('Library folder').fill(path);
    await form.getByRole('button', { name: 'Create library' }).click();
  }

  async open(path: string): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Open a library' });
    await form.getByLabel('Library folder').fill(path);
    await form.getByRole('button', { name: 'Open library' }).click();
  }

  recent() {
    return this.page.getByRole('region', { name: 'Recent libraries' });
  }

  error() {
    return this.page.getByRole('alert');
  }
}
