import type { DayAggregates } from '../shared/step-payloads';
import type { UserSummary } from './user-summary';

/** Sums the kept users of a day into the `search_stats` figures (contract §4). */
export class DayAggregator {
  private numUsers = 0;
  private numSearches = 0;
  private numRentalSearches = 0;
  private numSaleSearches = 0;
  private numNoneSearches = 0;

  add(user: UserSummary): void {
    this.addCounts(user.numRental, user.numSale, user.numNone);
  }

  /** One kept user given by its valid searches per type bucket (the fast lane has no UserSummary). */
  addCounts(rental: number, sale: number, none: number): void {
    const searches = rental + sale + none;
    if (searches === 0) return;
    this.numUsers++;
    this.numSearches += searches;
    this.numRentalSearches += rental;
    this.numSaleSearches += sale;
    this.numNoneSearches += none;
  }

  get aggregates(): DayAggregates {
    return {
      numUsers: this.numUsers,
      numSearches: this.numSearches,
      numRentalSearches: this.numRentalSearches,
      numSaleSearches: this.numSaleSearches,
      numNoneSearches: this.numNoneSearches,
    };
  }
}
