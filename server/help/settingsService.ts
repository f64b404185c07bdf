import type { Database } from '../db/client';
import { invalidateSearch } from './search';
import { type HelpSettings, readHelpSettings, writeHelpSettings } from './settings';

/** Reads and writes the help settings; a change drops this node's search cache (new synonyms). */
export class HelpSettingsService {
  constructor(private readonly db: Database) {}

  get(): Promise<HelpSettings> {
    return readHelpSettings(this.db);
  }

  async put(value: HelpSettings): Promise<HelpSettings> {
    await writeHelpSettings(this.db, value);
    invalidateSearch(this.db);
    return this.get();
  }
}
